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

# Comments: the public address of the production Isso server (its own host and
# configuration; see plugins/newsdesk_comments/README.md), and its database when
# the build runs where it can read it (the approved comments then appear in the
# static pages too); unset, pages carry the live thread only.
COMMENTS_ISSO_URL = os.environ.get("NEWSDESK_ISSO_URL", "https://comments.ararat-ledger.example")
COMMENTS_ISSO_DB = os.environ.get("NEWSDESK_ISSO_DB") or None
