"""Ranking what a research crawl read, and the extractive summary used until an LLM is configured."""

from __future__ import annotations

import asyncio
import re

from rank_bm25 import BM25Plus
from temporalio import activity

from activities.artifacts import ArtifactStore
from models.research import RANK_RESEARCH, SUMMARY_SENTENCES, PageFinding, RankRequest, ResearchReport, Source

CONTENT_LIMIT = 100_000
EXCERPT_CHARS = 3_000  # per source, for the LLM summary  # characters of main text handed on (e.g. to a summarize task)
_WORD = re.compile(r"\w+", re.UNICODE)
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")  # headings stand on lines of their own


def tokens(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text) if len(w) > 1]


def query_terms(request: RankRequest) -> list[str]:
    return tokens(" ".join([request.inputs.topic, *request.inputs.focus_areas]))


def relevance(documents: list[list[str]], query: list[str]) -> list[float]:
    """BM25+ scores, 0 for a document that shares no word with the query.

    Plain BM25 (Okapi) gives a term found in half the documents an idf of 0, so with two or
    three pages read the one relevant page scored 0; BM25+ keeps a floor, and the shared-word
    test keeps that floor from making unrelated pages relevant.
    """
    terms = set(query)
    scores = BM25Plus(documents).get_scores(query)
    return [float(score) if terms & set(doc) else 0.0 for score, doc in zip(scores, documents)]


def extractive_summary(texts: list[str], query: list[str], sentences: int) -> str:
    """The sentences that share most words with the query, in reading order."""
    candidates = [(i, s.strip()) for i, s in enumerate(s for text in texts for s in _SENTENCE.split(text)) if 40 <= len(s.strip()) <= 400]
    if not candidates:
        return ""
    scores = relevance([tokens(s) for _, s in candidates], query)
    best = sorted(range(len(candidates)), key=lambda k: -scores[k])[:sentences]
    return " ".join(candidates[k][1] for k in sorted(best))


class ResearchActivities:
    def __init__(self, store: ArtifactStore):
        self.store = store

    @activity.defn(name=RANK_RESEARCH)
    async def rank(self, request: RankRequest) -> ResearchReport:
        return await asyncio.to_thread(self._rank, request)  # CPU work off the worker's event loop

    def _rank(self, request: RankRequest) -> ResearchReport:
        read = [p for p in request.pages if p.text is not None]
        start = request.inputs.start_date
        dated_out = [p for p in read if start and p.published and p.published < start]
        read = [p for p in read if p not in dated_out]
        failed = [{"url": p.url, "error": p.error} for p in request.pages if p.error]
        failed += [{"url": p.url, "error": f"published {p.published}, before start_date {start}"} for p in dated_out]
        texts = [self.store.get(p.text).decode() for p in read]  # type: ignore[arg-type]
        query = query_terms(request)
        ranked: list[tuple[float, PageFinding, str]] = []
        if read:
            scores = relevance([tokens(f"{p.title} {t}") for p, t in zip(read, texts)], query)
            ranked = sorted(zip(scores, read, texts), key=lambda r: -r[0])
        top = [r for r in ranked if r[0] > 0][: request.inputs.max_sources]
        summary = extractive_summary([t for _, _, t in top], query, SUMMARY_SENTENCES[request.inputs.depth])
        return ResearchReport(
            summary=f"Extractive summary (no LLM configured): {summary}" if summary else "No page read was relevant to the topic.",
            sources=[
                Source(url=p.url, title=p.title, score=round(s, 3), snippet=p.snippet, excerpt=t[:EXCERPT_CHARS],
                       published=p.published, text=p.text)
                for s, p, t in top
            ],
            content="\n\n".join(t for _, _, t in top)[:CONTENT_LIMIT],
            pages_read=len(request.pages) - len([p for p in request.pages if p.error]),
            failed=failed,
        )
