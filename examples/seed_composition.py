"""Seed 001, "Task Composition": research, then summarize, from plain client code.

Changed: the import line. The research task names no site: the worker starts from its search
page (AESOP_SEARCH_URL; the demo and the tests point it at the bundled local site). The
summarize task needs an LLM on the worker (OPENAI_API_KEY).
"""

from examples.seed_support import Task, TaskConfig, aesop


def research_and_summarize(topic):
    # Research task
    research_task = Task(
        name="research",
        inputs={"topic": topic},
        config=TaskConfig(max_pages=5)
    )
    research_result = aesop.execute_task(research_task)
    
    # Summarization task
    summary_task = Task(
        name="summarize",
        inputs={
            "text": research_result.content,
            "max_length": 1000
        }
    )
    summary = aesop.execute_task(summary_task)
    
    return summary

# Execute composed workflow
summary = research_and_summarize("quantum computing")
print(summary)
