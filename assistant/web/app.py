"""The chat UI (Gradio Blocks): one module per tab, assembled here.

`ask_tab.py` (chat, sources, feedback, export, upload), `quiz.py` (induction quiz and
handouts), `reviews.py` (compare councils, duty coverage map). Each calls the service like
any other client.
"""

from __future__ import annotations

import gradio as gr

from assistant.chain.privacy import NOTICE
from assistant.training.marking import Marker
from assistant.web.ask_tab import ask_tab
from assistant.web.chat import ChatUI
from assistant.web.quiz import QuizUI, quiz_tab
from assistant.web.reviews import ReviewUI, review_tabs
from index import go_offline

TAGLINE = "The duties of a council's Lead Member for Children's Services, quoted from the documents."
# WCAG 2.2 AA: text contrast of at least 4.5:1 (the theme's own orange measured 3.56:1 on the Ask
# button and 2.80:1 on the selected tab), a focus outline that is always visible, and a layout that
# reflows to one column at 320 CSS px (400% zoom) with the question box on a phone's first screen.
ACCENT, ACCENT_DARK = "#1d4ed8", "#1e3a8a"  # 6.7:1 and 10.4:1 against white
CSS = f"""
mark {{ background: #ffe066; color: #111; padding: 0 .1em; }}
.lmcs-sources {{ padding-left: 1.2em; }}
.lmcs-where {{ margin: .6rem 0 .3rem; font-weight: 500; }}
.lmcs-passage {{ line-height: 1.5; margin: 0 0 .8rem; padding-left: .8rem; border-left: 3px solid #6b6b6b; }}
.lmcs-source:focus {{ outline: 3px solid {ACCENT}; outline-offset: 2px; }}
.lmcs-document {{ line-height: 1.55; max-height: 32rem; overflow-y: auto; overflow-wrap: anywhere; }}
.lmcs-h {{ font-size: 1.1rem; margin: .2rem 0 .6rem; }}
#lmcs-notice {{ font-size: .95rem; }}
#lmcs-feedback-status p {{ margin: 0; font-weight: 500; }}
.lmcs-try p {{ margin: .4rem 0 0; }}
.lmcs-sr-only {{ position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }}
:focus-visible {{ outline: 3px solid {ACCENT} !important; outline-offset: 2px; }}
button[role="tab"][aria-selected="true"] {{ color: {ACCENT_DARK} !important; border-color: {ACCENT} !important;
  font-weight: 600; }}
#lmcs-chat a, #lmcs-chat a:visited {{ color: {ACCENT_DARK} !important; font-weight: 600; }}
footer, footer a, footer button, .show-api {{ color: #4b5563 !important; }}
.prose, .prose * {{ overflow-wrap: anywhere; }}
#lmcs-chat .placeholder-content {{ padding-top: 2rem; }}  /* clear of the floating "Conversation" label */
.lmcs-heat img {{ max-width: 100%; height: auto; }}
.lmcs-heat figcaption {{ font-size: .9rem; color: #374151; }}
@media (max-width: 640px) {{
  .lmcs-header p {{ margin: 0; }}
  .lmcs-header h1 {{ font-size: 1.3rem; margin: 0; }}
  #lmcs-notice {{ font-size: .85rem; }}
}}
"""
# Page behaviour no Gradio component has: each [n] in an answer jumps to (and focuses) its source in
# the panel, and the screen-reader announcement region is a polite live region from the start.
HEAD = """<script>
document.addEventListener('click', (event) => {
  const link = event.target.closest && event.target.closest('a[href^="#source-"]');
  if (!link) { return; }
  event.preventDefault(); event.stopPropagation();
  const target = document.getElementById(link.getAttribute('href').slice(1));
  if (target) { target.scrollIntoView({block: 'start'}); target.focus({preventScroll: true}); }
}, true);
const lmcsLive = () => {
  const region = document.getElementById('lmcs-announce');
  if (region && !region.hasAttribute('aria-live')) {
    region.setAttribute('role', 'status'); region.setAttribute('aria-live', 'polite');
    region.setAttribute('aria-atomic', 'true');
  }
  const status = document.getElementById('lmcs-feedback-status');
  if (status && !status.hasAttribute('aria-live')) { status.setAttribute('aria-live', 'polite'); }
};
new MutationObserver(lmcsLive).observe(document.documentElement, {childList: true, subtree: true});
</script>"""


def theme():  # type: ignore[no-untyped-def]
    """Gradio's default theme with an accent dark enough for AA contrast on buttons and links."""
    return gr.themes.Default(primary_hue="blue").set(
        button_primary_background_fill=ACCENT,
        button_primary_background_fill_hover=ACCENT_DARK,
        button_primary_text_color="#ffffff",
        button_primary_border_color=ACCENT,
        color_accent=ACCENT,
        link_text_color=ACCENT,
        link_text_color_visited=ACCENT_DARK,
        block_info_text_color="#4b5563",  # the default grey measured 1.9:1
        body_text_color_subdued="#4b5563",
        input_placeholder_color="#6b7280",
    )


__all__ = ["ChatUI", "build_ui", "launch"]


def build_ui(ui: ChatUI):  # type: ignore[no-untyped-def]
    """The Blocks app for one ChatUI."""
    # delete_cache: files Gradio keeps for a page (uploads, exports) go after an hour, and all of
    # them when the server stops; `lmcs serve` also removes its whole temp folder then.
    with gr.Blocks(title="LMCS Assistant", delete_cache=(3600, 3600)) as demo:
        gr.Markdown(f"# LMCS Assistant\n{TAGLINE}", elem_classes=["lmcs-header"])
        gr.Markdown(NOTICE, elem_id="lmcs-notice")
        with gr.Tabs():
            apis = ask_tab(ui)
            marker = Marker.from_corpus(ui.service.settings.corpus_dir, ui.service.chain.embedder)
            apis += quiz_tab(QuizUI(ui.bank, ui.exports, marker))
            review_tabs(ReviewUI(ui.service, ui.exports))
        for fn in apis:  # outside gr.Tabs: an endpoint inside a tab list is taken for a tab
            gr.api(fn, api_name=fn.__name__.removeprefix("api_"))
    return demo


def launch(  # type: ignore[no-untyped-def]
    ui: ChatUI,
    host: str,
    port: int,
    prevent_thread_lock: bool = False,
    quiet: bool = False,
    https: bool = False,
    ssl_certfile: str | None = None,
    ssl_keyfile: str | None = None,
):
    """Serve the UI: with login when the records database has users, else on loopback only.

    Every request passes the gate (`gate.py`): sessions, upload limits, cookie flags. `https`
    is the operator's word that the page reaches users over HTTPS (a TLS proxy in front);
    with a certificate and key the server speaks TLS itself.
    """
    from starlette.middleware import Middleware

    from assistant.web.gate import Gate

    go_offline()
    demo = build_ui(ui)
    auth = ui.check_login if ui.login else None
    max_bytes = ui.service.settings.max_file_bytes
    records = ui.service.records
    gate = Middleware(
        Gate,  # type: ignore[arg-type]
        is_admin=lambda name: records is not None and records.users.is_admin(name),
        max_upload_bytes=max_bytes,
        https=https or ssl_certfile is not None,
    )
    demo.launch(
        server_name=host,
        server_port=port,
        auth=auth,
        auth_message="LMCS Assistant: sign in with the account your administrator gave you." if auth else None,
        css=CSS,
        head=HEAD,
        theme=theme(),
        prevent_thread_lock=prevent_thread_lock,
        quiet=quiet,
        footer_links=["api"],
        max_file_size=max_bytes,  # each file, refused before it is stored; the gate bounds the request
        app_kwargs={"middleware": [gate]},  # inside Gradio's own middleware: it sees requests before any route
        ssl_certfile=ssl_certfile,
        ssl_keyfile=ssl_keyfile,
        ssl_verify=not ssl_certfile,  # a self-signed certificate is the operator's choice
    )
    return demo
