"""The LLM activity: one chat completion with tool calling against any OpenAI-compatible endpoint.

``max_retries=0``: Temporal owns retries, so every attempt is in the task's history.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass, field
from typing import Optional

import openai
from openai import AsyncOpenAI
from temporalio import activity

from activities.llm_errors import translate
from models.llm import LLM_COMPLETE, LLMReply, LLMRequest, Message, ToolCall

MODEL_ENV = "AESOP_LLM_MODEL"
PRICES_ENV = "AESOP_LLM_PRICES"  # JSON: {"model": [USD per 1M input tokens, per 1M output tokens]}
DEFAULT_MODEL = "gpt-4o-mini"
REQUEST_TIMEOUT_SECONDS = 120.0
# USD per million tokens (input, output); AESOP_LLM_PRICES adds or overrides.
DEFAULT_PRICES: dict[str, tuple[float, float]] = {
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1": (2.00, 8.00),
}
HOW_TO_CONFIGURE = (
    "no LLM is configured on the worker: set OPENAI_API_KEY (and OPENAI_BASE_URL for any other "
    "OpenAI-compatible server: Azure, vLLM, Ollama, llama.cpp) and AESOP_LLM_MODEL, then restart the worker"
)


@dataclass(frozen=True)
class LLMSettings:
    api_key: Optional[str] = None
    base_url: Optional[str] = None
    model: str = DEFAULT_MODEL
    prices: dict[str, tuple[float, float]] = field(default_factory=lambda: dict(DEFAULT_PRICES))

    @classmethod
    def from_env(cls) -> "LLMSettings":
        prices = dict(DEFAULT_PRICES)
        prices.update({name: tuple(pair) for name, pair in json.loads(os.environ.get(PRICES_ENV) or "{}").items()})
        return cls(
            api_key=os.environ.get("OPENAI_API_KEY") or None,
            base_url=os.environ.get("OPENAI_BASE_URL") or None,
            model=os.environ.get(MODEL_ENV) or DEFAULT_MODEL,
            prices=prices,
        )

    @property
    def configured(self) -> bool:
        return bool(self.api_key or self.base_url)

    def cost(self, model: str, input_tokens: int, output_tokens: int) -> Optional[float]:
        price = self.prices.get(model)
        if price is None:
            return None
        return round((input_tokens * price[0] + output_tokens * price[1]) / 1_000_000, 8)


def to_openai(message: Message) -> dict:
    out: dict = {"role": message.role, "content": message.content}
    if message.images:  # read here, in the activity: history holds only the references
        out["content"] = [{"type": "text", "text": message.content or ""}, *(
            {"type": "image_url", "image_url": {"url": f"data:{ref.content_type};base64,{base64.b64encode(ref.read_bytes()).decode()}"}}
            for ref in message.images
        )]
    if message.tool_calls:
        out["tool_calls"] = [
            {"id": c.id, "type": "function", "function": {"name": c.name, "arguments": c.arguments}} for c in message.tool_calls
        ]
    if message.tool_call_id:
        out["tool_call_id"] = message.tool_call_id
    return out


class LLMActivities:
    def __init__(self, settings: Optional[LLMSettings] = None):
        self.settings = settings or LLMSettings.from_env()
        self._client: Optional[AsyncOpenAI] = None
        if self.settings.configured:
            self._client = AsyncOpenAI(
                # Local servers (Ollama, llama.cpp) take any key; the client insists on one.
                api_key=self.settings.api_key or "unused",
                base_url=self.settings.base_url,
                max_retries=0,
                timeout=REQUEST_TIMEOUT_SECONDS,
            )

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.close()

    @activity.defn(name=LLM_COMPLETE)
    async def complete(self, request: LLMRequest) -> LLMReply:
        if self._client is None:
            # An answer, not a failure: the workflow raises LLMNotConfigured, or (research) does
            # without, and the worker's log is not filled with tracebacks of an expected case.
            return LLMReply(content=HOW_TO_CONFIGURE, model="", not_configured=True)
        model = request.model or self.settings.model
        kwargs = {}
        if request.tools:
            kwargs["tools"] = [
                {"type": "function", "function": {"name": t.name, "description": t.description, "parameters": t.parameters}}
                for t in request.tools
            ]
        if request.max_output_tokens:
            kwargs["max_tokens"] = request.max_output_tokens
        try:
            response = await self._client.chat.completions.create(
                model=model, messages=[to_openai(m) for m in request.messages], **kwargs
            )
        except openai.OpenAIError as err:
            raise translate(err) from None
        choice = response.choices[0]
        usage = response.usage
        input_tokens = usage.prompt_tokens if usage else 0
        output_tokens = usage.completion_tokens if usage else 0
        return LLMReply(
            content=choice.message.content,
            tool_calls=[
                ToolCall(id=call.id, name=call.function.name, arguments=call.function.arguments or "{}")
                for call in choice.message.tool_calls or []
            ],
            model=response.model or model,
            input_tokens=input_tokens,
            output_tokens=output_tokens,
            cost_usd=self.settings.cost(model, input_tokens, output_tokens),
            finish_reason=choice.finish_reason,
        )
