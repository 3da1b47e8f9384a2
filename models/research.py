"""The research kind: crawl from start URLs within the allowed domains, rank, extract, summarise."""

from __future__ import annotations

from datetime import date
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

from models.artifacts import ArtifactRef
from models.browser import SessionResult
from models.config import TaskConfig

RANK_RESEARCH = "rank_research"
DEFAULT_MAX_PAGES = 10  # a crawl needs a bound; max_pages overrides it
# Sentences in the extractive summary, by the seeds' "depth" input.
SUMMARY_SENTENCES = {"overview": 3, "standard": 5, "technical": 8}


class ResearchInputs(BaseModel):
    model_config = ConfigDict(extra="forbid")

    topic: str = Field(min_length=1, max_length=500)
    focus_areas: list[str] = Field(default_factory=list, max_length=20)
    start_urls: list[str] = Field(
        default_factory=list, max_length=100,
        description="Where the crawl begins; by default the home page of each allowed domain",
    )
    depth: Literal["overview", "standard", "technical"] = "standard"
    start_date: Optional[date] = Field(None, description="Pages dated before this are left out")
    max_sources: int = Field(5, ge=1, le=50, description="Sources kept in the result, best first")


class Link(BaseModel):
    url: str
    text: str = ""


class PageFinding(BaseModel):
    """One page read: small parts in history, the full text in the artifact store."""

    url: str
    title: str = ""
    snippet: str = ""
    words: int = 0
    published: Optional[date] = None
    text: Optional[ArtifactRef] = None
    links: list[Link] = Field(default_factory=list)
    error: Optional[str] = None
    search_results: bool = Field(False, description="The web search page: its links are followed, it is no source")


class ReadPages(BaseModel):
    task_id: str
    config: TaskConfig
    urls: list[str]
    pages_used: int
    search: Optional[str] = Field(None, description="Also read the worker's search page (AESOP_SEARCH_URL) for this query")


class ReadPagesResult(SessionResult):
    pages: list[PageFinding]
    pages_used: int
    limit_reached: bool = False


class RankRequest(BaseModel):
    task_id: str
    inputs: ResearchInputs
    pages: list[PageFinding]


class Source(BaseModel):
    url: str
    title: str
    score: float
    snippet: str
    excerpt: str = Field("", description="The start of the main text, what an LLM summary reads")
    published: Optional[date] = None
    text: Optional[ArtifactRef] = None


class ResearchReport(BaseModel):
    summary: str
    summary_kind: Literal["extractive", "llm"] = "extractive"
    sources: list[Source]
    content: str = Field(description="The top sources' main text, for a summarize task (capped)")
    pages_read: int
    failed: list[dict] = Field(default_factory=list, description="Pages that could not be read, and why")
