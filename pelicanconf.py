"""Development settings for the Newsdesk demo site (`make html`, `make serve`).

Production overrides live in publishconf.py. Every plugin keeps its own
defaults in its package (plugins/<name>/settings.py); only values that differ
from those defaults, or that a newsroom is expected to change, appear here.
"""

# --- The outlet ---------------------------------------------------------------
SITENAME = "The Ararat Ledger"
SITE_TAGLINE = "News from Armenia, the South Caucasus and the Armenian diaspora"
SITEURL = ""
DEFAULT_LANG = "en"
LOCALE = ("C",)
TIMEZONE = "Asia/Yerevan"
DEFAULT_DATE_FORMAT = "%B %-d, %Y"

# Sections, in navigation order. An article's `Section:` must be one of these.
NEWSDESK_SECTIONS = ["Armenia", "Diaspora", "Region", "World", "Culture", "Opinion"]
# Name, slug, bio and photo of every author (a path inside PATH), read by the
# checks and the theme.
NEWSDESK_AUTHORS_FILE = "authors.toml"
# Tag synonyms merged into one tag (newsdesk_content): {"Artsakh": "Nagorno-Karabakh"}.
# Keys match whatever the case, spaces or hyphens. Other content-check settings and
# their defaults: plugins/newsdesk_content/settings.py.
NEWSDESK_TAG_ALIASES = {}

# --- Content ------------------------------------------------------------------
PATH = "content"
ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images"]
# Summaries are plain text written by editors, escaped wherever they appear.
FORMATTED_FIELDS = []
# A future-dated article is scheduled: it stays out of the site until its date.
WITH_FUTURE_DATES = False
DEFAULT_CATEGORY = "Armenia"
# Typography is applied by the theme (bodies and on-page headlines), never to
# the plain text that titles, meta tags and feeds carry.
TYPOGRIFY = False
SUMMARY_MAX_LENGTH = None

# --- URLs ---------------------------------------------------------------------
ARTICLE_URL = "{date:%Y}/{date:%m}/{slug}/"
ARTICLE_SAVE_AS = "{date:%Y}/{date:%m}/{slug}/index.html"
ARTICLE_LANG_URL = "{date:%Y}/{date:%m}/{slug}-{lang}/"
ARTICLE_LANG_SAVE_AS = "{date:%Y}/{date:%m}/{slug}-{lang}/index.html"
DRAFT_URL = "drafts/{slug}/"
DRAFT_SAVE_AS = ""
DRAFT_LANG_SAVE_AS = ""
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
PAGE_LANG_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""
DRAFT_PAGE_LANG_SAVE_AS = ""
CATEGORY_URL = "section/{slug}/"
CATEGORY_SAVE_AS = "section/{slug}/index.html"
CATEGORIES_SAVE_AS = ""
TAG_URL = "tag/{slug}/"
TAG_SAVE_AS = "tag/{slug}/index.html"
TAGS_SAVE_AS = ""
AUTHOR_URL = "author/{slug}/"
AUTHOR_SAVE_AS = "author/{slug}/index.html"
AUTHORS_SAVE_AS = ""
ARCHIVES_URL = "archives/"
ARCHIVES_SAVE_AS = "archives/index.html"
YEAR_ARCHIVE_SAVE_AS = ""
MONTH_ARCHIVE_SAVE_AS = ""
DIRECT_TEMPLATES = ["index", "archives", "404", "search"]
# The archive search page (plugins/newsdesk_search; theme/templates/search.html).
SEARCH_URL = "search/"
SEARCH_SAVE_AS = "search/index.html"
TEMPLATE_PAGES = {}
INDEX_SAVE_AS = "index.html"

# Every listing continues at <listing>/page/N/, so no page of one listing can
# land on the file of another (Pelican's default saves page 2 of tag `yast` as
# tag/yast2.html, the file of tag `yast2`).
DEFAULT_PAGINATION = 12
PAGINATED_TEMPLATES = {"index": 14, "tag": None, "category": None, "author": None}
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)

# --- Feeds (off while developing; publishconf.py turns them on) ---------------
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
CATEGORY_FEED_RSS = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TAG_FEED_ATOM = None
TAG_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
TRANSLATION_FEED_RSS = None
# Feeds (newsdesk_seo) carry the whole article ("full") or its summary only
# ("summary"); entry ids are tag: URIs under this domain, built from the first
# publication date and the original slug, so they survive a change of URL.
NEWSDESK_FEED_CONTENT = "full"
NEWSDESK_FEED_ID_AUTHORITY = "ararat-ledger.example"

# --- Discoverability (newsdesk_seo; defaults in plugins/newsdesk_seo/settings.py)
# Publisher logo in JSON-LD (raster, fits 600x60) and the share image of pages
# without one of their own; both paths inside theme/static/.
NEWSDESK_PUBLISHER_LOGO = "images/publisher-logo.png"
NEWSDESK_DEFAULT_SHARE_IMAGE = "images/share-card.png"

# --- Theme --------------------------------------------------------------------
THEME = "theme"
THEME_STATIC_DIR = "theme"
# Everything reaching a reader is escaped for its context; only the rendered
# article body is marked safe, in one template.
JINJA_ENVIRONMENT = {
    "autoescape": True,
    "trim_blocks": True,
    "lstrip_blocks": True,
    "extensions": [],
    # One build is one process (the preview server builds each time in a new one):
    # templates cannot change during it, so Jinja need not check their files' times
    # on every include of every page.
    "auto_reload": False,
}

# --- Search (plugins/newsdesk_search) -----------------------------------------
# Pagefind indexes the published articles into output/pagefind/ after each
# build. Without JavaScript the header search box sends the query to this web
# search restricted to SITEURL's host (DuckDuckGo reads `q` and `sites=<host>`;
# set NEWSDESK_SEARCH_FALLBACK_SITE_PARAM for another engine). With SITEURL = ""
# (development) or None here, the box goes to the search page, which then points
# to the archives. Other settings and their defaults: plugins/newsdesk_search/settings.py.
NEWSDESK_SEARCH_FALLBACK_URL = "https://duckduckgo.com/"

# --- Comments and newsletter (plugins/newsdesk_comments; defaults in its settings.py)
# Isso serves the live thread and the "Leave a Reply" form; `make comments` runs it
# on :8080 beside `make serve` (publishconf.py names the production server).
COMMENTS_ISSO_URL = "http://localhost:8080"
# Isso's SQLite database, read at build time (read-only) to put each article's
# approved comments and their count into the static page; None: the live thread
# only. The preview server's is var/comments/comments.db (relative paths are taken
# from the folder the build runs in). Isso keys a thread by the article's first URL
# (its first `Aliases:` entry, else its URL), so list aliases oldest first.
COMMENTS_ISSO_DB = None
# The newsletter signup posts to the provider's form endpoint; None hides it.
# NEWSLETTER_EMAIL_FIELD names the email input ("email"; Mailchimp: "EMAIL"),
# NEWSLETTER_HIDDEN_FIELDS are sent along ({"embed": "1"} for Buttondown, the list
# ids for Mailchimp or listmonk), NEWSLETTER_HONEYPOT_FIELD names the bot trap
# (Mailchimp's "b_<u>_<id>"), NEWSLETTER_CONSENT is the consent line.
# The demo posts to a placeholder address of the fictional outlet.
NEWSLETTER_ACTION = "https://newsletter.ararat-ledger.example/subscribe"
NEWSLETTER_EMAIL_FIELD = "email"
NEWSLETTER_HIDDEN_FIELDS = {"list": "daily-briefing"}
NEWSLETTER_HONEYPOT_FIELD = "website"

# --- You May Also Like (plugins/you_may_also_like; defaults in its settings.py) -
# Up to YMAL_LIMIT related articles at the end of every article page. Score of a
# candidate = (sum over shared tags of ln(1 + N/df(tag)) + section bonus) times a
# freshness factor; `make explain ARTICLE=<slug>` shows why. Editors pin stories
# with `Related: slug-a, slug-b` (shown first) or hide the block with `Related: none`.
# Every setting and its default (uncomment to change):
# YMAL_LIMIT = 4                  # suggestions per article, pins included (1-50)
# YMAL_HALF_LIFE_DAYS = 180       # the freshness factor halves every N days; None: off
# YMAL_SECTION_BONUS = 0.0        # added to the tag score of a same-section candidate
# YMAL_EXCLUDE_NEWER = False      # True: never suggest an article newer than the page's
# YMAL_SAME_LANGUAGE = True       # only suggest articles in the page's language
# YMAL_FALLBACK = True            # fill a short block with the same section's articles
#                                 # closest in time
# YMAL_BROAD_TAG_SHARE = 0.2      # a tag on more than this share of articles is broad...
# YMAL_BROAD_TAG_FACTOR = 0.25    # ...and its weight is multiplied by this
# YMAL_SCAN_LIMIT = 100           # a tag on more articles than this is searched only...
# YMAL_SCAN_WINDOW = 8            # ...among its N articles on each side in time (speed)
# YMAL_TAG_ALIASES = {}           # synonyms for the ranking: {"EU": "European Union"}

# --- Plugins ------------------------------------------------------------------
PLUGIN_PATHS = ["plugins"]
PLUGINS = [
    "newsdesk_content",
    "newsdesk_site",
    "newsdesk_search",
    "newsdesk_seo",
    "newsdesk_comments",
    "you_may_also_like",
]

# --- Build --------------------------------------------------------------------
OUTPUT_PATH = "output"
DELETE_OUTPUT_DIRECTORY = False
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
# Pin the clock-dependent parts of the build for deterministic output.
OUTPUT_SOURCES = False
SLUGIFY_SOURCE = "title"
