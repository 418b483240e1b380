"""Task blueprints (one per everyday question) and what they share: where the user is."""
