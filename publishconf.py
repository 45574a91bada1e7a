"""Production settings: used by `make publish` to build the site for deployment.

Starts from the development settings and overrides only what production needs.
"""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: E402

# Absolute URLs: feeds, canonical links, sitemaps and social cards need them.
SITEURL = os.environ.get("NEWSDESK_SITEURL", "https://ararat-ledger.example")
RELATIVE_URLS = False

# Feeds for the whole site and for each section.
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = "feeds/all.rss.xml"
CATEGORY_FEED_ATOM = "feeds/section/{slug}.atom.xml"
CATEGORY_FEED_RSS = "feeds/section/{slug}.rss.xml"
