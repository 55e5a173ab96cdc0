"""The Compare councils and Duty coverage map tabs, for reviewers."""

from __future__ import annotations

import base64
import html
from pathlib import Path

import gradio as gr

from assistant.service import Service
from assistant.training.compare import compare, compare_markdown
from assistant.training.coverage import coverage, coverage_markdown, coverage_png

MAX_TOPIC_CHARS = 200
HEAT_ALT = (
    "Heat map of which duties each document states: dark blue strong, light blue partial, grey gap. "
    "The table below gives every cell in words, with the passage behind it."
)


class ReviewUI:
    def __init__(self, service: Service, exports: Path) -> None:
        self.service = service
        self.exports = exports

    def compare_markdown(self, topic: str) -> str:
        topic = " ".join((topic or "").split())
        if not topic:
            return "Type a topic, e.g. corporate parenting."
        if len(topic) > MAX_TOPIC_CHARS:
            return f"The topic is {len(topic):,} characters long; keep it under {MAX_TOPIC_CHARS}."
        return compare_markdown(topic, compare(self.service.chain, topic))

    def coverage_map_shown(self) -> tuple[str, str]:
        """The heat map as an <img> with a text alternative (Gradio's image box has unlabelled
        buttons), and the same information as a table in words."""
        image, table = self.coverage_map()
        data = base64.b64encode(Path(image).read_bytes()).decode("ascii")
        figure = (
            f'<figure class="lmcs-heat"><img src="data:image/png;base64,{data}" alt="{html.escape(HEAT_ALT)}">'
            f"<figcaption>{html.escape(HEAT_ALT)}</figcaption></figure>"
        )
        return figure, table

    def coverage_map(self) -> tuple[str, str]:
        docs, grid = coverage(self.service.chain)
        image = coverage_png(docs, grid, self.exports / "coverage.png")
        return str(image), coverage_markdown(docs, grid)


def review_tabs(ui: ReviewUI) -> None:
    with gr.Tab("Compare councils", id="compare"):
        topic = gr.Textbox(label="Topic", placeholder="e.g. corporate parenting", elem_id="lmcs-compare-topic")
        go = gr.Button("Compare", variant="primary", elem_id="lmcs-compare-go")
        table = gr.Markdown("", elem_id="lmcs-compare-table")
        go.click(ui.compare_markdown, topic, table, api_name="compare")
        topic.submit(ui.compare_markdown, topic, table, api_visibility="private")

    with gr.Tab("Duty coverage map", id="coverage"):
        gr.Markdown("Each statutory responsibility of the LMCS, as the corpus states them, against each document.")
        build = gr.Button("Build the coverage map", variant="primary", elem_id="lmcs-coverage-go")
        heat = gr.HTML("", elem_id="lmcs-coverage-image")
        grid = gr.Markdown("", elem_id="lmcs-coverage-table")
        build.click(ui.coverage_map_shown, None, [heat, grid], api_visibility="private")
