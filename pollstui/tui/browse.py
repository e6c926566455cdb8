"""Open a content item's issue or page in a browser (``o``), or show the link to copy.

The link comes from the site URL (:mod:`pollstui.site`): the profile's, or one asked for once
(:class:`SitePromptScreen`) and kept in the profile. Where no graphical browser can open (over
SSH, no display) or the browser refuses, a dialog shows the link with a Copy button (OSC 52). The
link never holds the token: it is built from the site URL and the content id only.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING


if TYPE_CHECKING:
    from pollstui.api.address import ContentRef
    from pollstui.tui.app import PollsApp

log = logging.getLogger("pollstui.tui")


def current_site(app: PollsApp) -> str:
    """The site URL of this session: the profile's, else one given since the app started."""
    profile = app.session.profile
    return (profile.site if profile is not None else "") or app.site_url


def with_site(app: PollsApp, then: Callable[[str], None], otherwise: Callable[[], None] | None = None) -> None:
    """Call ``then(site)`` with the site URL, asking for it first when there is none
    (``otherwise()`` when the user declines to give one)."""
    site = current_site(app)
    if site:
        then(site)
        return
    from pollstui.tui.screens.site_prompt import SitePromptScreen

    profile = app.session.profile
    product = app.session.connection.product if app.session.connection else "jira"

    def given(site: str | None) -> None:
        if not site:
            if otherwise is not None:
                otherwise()
            return
        app.site_url = site
        if profile is not None:
            keep = partial(app.session.write_profiles, lambda store: store.remember(profile.name, site=site))
            app.keep_in_profiles(keep)
        then(site)

    app.push_screen(SitePromptScreen(product, remembered=profile is not None), given)


def open_item(app: PollsApp, ref: ContentRef) -> None:
    """``o``: open ``ref``'s issue or page in a browser, or show its link."""
    from pollstui.site import item_url

    with_site(app, lambda site: open_url(app, item_url(site, ref), ref.label))


def open_url(app: PollsApp, url: str, label: str) -> None:
    from pollstui.site import has_graphical_browser

    if not has_graphical_browser(dict(os.environ), sys.platform):
        show_link(app, url, f"No browser can open from this terminal (no display: over SSH?), so here is the link to {label}")
        return

    def launch() -> None:
        import webbrowser

        try:
            opened = webbrowser.open(url, new=2)
        except Exception:  # webbrowser.Error, or an OSError from a broken $BROWSER
            log.info("the browser did not open", exc_info=True)
            opened = False
        app.call_from_thread(done, opened)

    def done(opened: bool) -> None:
        if opened:
            app.notify(f"Opened {label} in your browser.", markup=False)
        else:
            show_link(app, url, f"The browser did not open, so here is the link to {label}")

    app.run_worker(launch, thread=True, group="browser", exit_on_error=False)


def show_link(app: PollsApp, url: str, reason: str) -> None:
    from pollstui.tui.screens.confirm import ConfirmScreen

    def answered(copy: bool | None) -> None:
        if copy:
            app.copy_to_clipboard(url)
            app.notify("Copied the link (your terminal must allow clipboard access, OSC 52).", markup=False)

    app.push_screen(
        ConfirmScreen("Open in a browser", f"{reason}:\n\n{url}", confirm_label="Copy", cancel_label="Close",
                      destructive=False),
        answered,
    )
