"""Production settings: used by `make publish` to build the site for deployment.

Starts from the development settings and overrides only what production needs.
"""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *

# Absolute URLs: feeds, canonical links, sitemaps and social cards need them.
SITEURL = os.environ.get("NEWSDESK_SITEURL", "https://ararat-ledger.example")
RELATIVE_URLS = False

# Feeds for the whole site and for each section, Atom and RSS 2.0 (off while
# developing, as in Pelican). newsdesk_seo writes them: entry ids permanent
# (first publication date + original slug), every author, plain-text titles,
# full text or summary per NEWSDESK_FEED_CONTENT (pelicanconf.py); every page's
# head links to the site's feeds and, on a section or article, the section's.
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = "feeds/all.rss.xml"
CATEGORY_FEED_ATOM = "feeds/section/{slug}.atom.xml"
CATEGORY_FEED_RSS = "feeds/section/{slug}.rss.xml"

# Sitemaps need absolute URLs, so only this build writes them (newsdesk_seo):
# sitemap.xml (an index of sitemap-N.xml past 50,000 URLs), news-sitemap.xml
# (articles first published in the 48 hours before the build's "now": the clock,
# or NEWSDESK_BUILD_NOW when pinned) and robots.txt naming both. Nothing to set.

# Comments: the public address of the production Isso server (its own host and
# configuration; see plugins/newsdesk_comments/README.md), and its database when
# the build runs where it can read it (the approved comments then appear in the
# static pages too); unset, pages carry the live thread only.
COMMENTS_ISSO_URL = os.environ.get("NEWSDESK_ISSO_URL", "https://comments.ararat-ledger.example")
COMMENTS_ISSO_DB = os.environ.get("NEWSDESK_ISSO_DB") or None
