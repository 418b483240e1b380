"""gunicorn settings: load data once before forking, and never log query strings."""
bind = "127.0.0.1:8000"
workers = 2
worker_class = "gthread"
threads = 4
preload_app = True          # parse the snapshots and create the SQLite cache once, in the master
accesslog = "-"
# %(U)s is the path WITHOUT the query string: positions (lat, lon) and chosen places never
# reach the log. No client address, no referrer, no user agent either.
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
timeout = 30
