"""Task blueprints (one per everyday question) and what they share: where the user is."""

# The task tiles of a territory's home page: (task, endpoint, pictogram). Order = display order.
# Here, below the views that register the blueprints and the offline pages that list them.
TASK_PAGES = [
    ("bike", "bike.index", "bike"),
    ("recycle", "recycle.index", "recycle"),
    ("cool", "cool.index", "trees"),
    ("mobility", "mobility.index", "bus"),
]
