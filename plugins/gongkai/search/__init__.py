"""Full-text search with Pagefind: index the built site, serve a search page.

A separate MkDocs plugin (`gongkai-search`) so a platform can build without it; it only
reads the ``data-pagefind-*`` attributes the `gongkai` plugin and the theme write.
"""
