"""The Atom feed of published releases, one per language (pure: records in, bytes out)."""

from __future__ import annotations

from feedgen.feed import FeedGenerator

from accord.models.press_release import PressRelease
from accord.models.press_release_text import PressReleaseText


def atom_feed(
    base_url: str,
    language: str,
    title: str,
    subtitle: str,
    author: str,
    entries: list[tuple[PressRelease, PressReleaseText]],
) -> bytes:
    """The feed of ``entries`` (newest first) in ``language``, with absolute links."""
    base = base_url.rstrip("/")
    feed = FeedGenerator()
    feed.id(f"{base}/public/feed.{language}.atom")
    feed.title(title)
    feed.subtitle(subtitle)
    feed.language(language)
    feed.link(href=f"{base}/public/feed.{language}.atom", rel="self")
    feed.link(href=f"{base}/public/releases?lang={language}", rel="alternate")
    newest = None
    for release, text in reversed(entries):
        entry = feed.add_entry()
        url = f"{base}/public/releases/{release.id}?lang={language}"
        entry.id(url)
        entry.title(text.title)
        entry.link(href=url, rel="alternate")
        entry.published(text.published_at)
        entry.updated(text.published_at)
        entry.content(text.body, type="text")
        entry.author(name=author)
        newest = max(newest, text.published_at) if newest else text.published_at
    if newest is not None:
        feed.updated(newest)
    return feed.atom_str(pretty=True)
