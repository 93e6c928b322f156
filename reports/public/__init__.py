"""The public site: pages, open data, feeds, sitemaps and the page cache.

Everything here reads frozen publications (reports.models.Publication) and the organisations'
published ITA scores; nothing reads the live, editable documents, so a draft can never show.
"""
