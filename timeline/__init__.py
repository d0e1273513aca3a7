"""timeline: news articles in, a trustworthy event timeline out.

The public API.  The CLI and the dashboard are clients of these names.
"""

from timeline.models import Document, TaggedDocument, TimeExpression
from timeline.tagger import Tagger, tag

__all__ = ["Document", "TaggedDocument", "TimeExpression", "Tagger", "tag"]
__version__ = "0.1.0"
