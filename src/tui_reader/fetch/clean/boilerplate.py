"""What is not article text: tags, class/id hints, hidden markers and stock phrases.

Class and id hints are matched per hyphen/underscore-separated word, so `share-bar` and
`post_tags` match while `thread` or `shared-content-body` do not trip on `ad` or `share`.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborNode

# Never rendered as text, or interactive chrome; removed from the whole tree before scoring.
STRIP_TAGS = ["script", "style", "noscript", "template", "svg", "iframe", "object", "embed",
              "canvas", "button", "input", "select", "textarea", "nav", "dialog", "map",
              "audio", "video", "math", "head"]
# Removed before scoring (unless one holds most of the page's text, as in some old layouts):
# page chrome and comment sections that are never the article.
DROP_SELECTOR = ("header, footer, aside, [hidden], [aria-hidden=true], #comments, .comments-area, "
                 "#respond, .comment-respond, #disqus_thread, .cookie-banner, #cookie-banner, "
                 "[role=navigation], [role=banner], [role=contentinfo], [role=complementary], "
                 "[role=dialog], [role=alert], amp-sidebar, amp-ad, amp-embed, amp-analytics, "
                 "amp-consent, amp-social-share, amp-list")

_WORDS = (
    r"ads?|adv|advert\w*|adsbygoogle|ad\d+|adunit\w*|adslot\w*|adwrap\w*|dfp\w*|gpt|"
    r"sponsor\w*|promo\w*|partner\w*|"
    r"share\w*|sharing|social\w*|sharedaddy|addtoany|a2a\w*|"
    r"newsletter\w*|subscri\w*|signup|optin|paywall|"
    r"comments?|respond|disqus|"
    r"cookies?|consent|gdpr|"
    r"breadcrumbs?|nav|navbar|navigation|menu|pagination|pager|prev|previous|next|"
    r"bio|authorbio|author(?=[-_\s]+(?:bio|box|info|card|about))|about|"
    r"tags?|taglist|categories|cat|cats|topics|keywords|"
    r"byline|dateline|meta|timestamp|"
    r"header|footer|masthead|sidebar|widget\w*|toolbar|tools|print|"
    r"caption|credits?|"
    r"trending|popular|most|recent|latest|recirc\w*|outbrain|taboola|zergnet|"
    r"modal|popup|overlay|banner|"
    r"related\w*|relatedposts|yarpp\w*|crp|recommend\w*|more|readnext|"
    r"skip|hide|hidden"
)
_JUNK = re.compile(rf"(?:^|[\s_-])(?:{_WORDS})(?=$|[\s_-])", re.I)
# Words that outweigh a junk hint: `article-body share-enabled` is still the article.
_KEEP = re.compile(r"(?:^|[\s_-])(?:article|body|content|entry|main|post|story|text)"
                   r"(?:[\s_-](?:body|content|text))?(?=$|[\s_-])", re.I)
_RELATED = re.compile(r"(?:^|[\s_-])(?:related\w*|relatedposts|yarpp\w*|crp|readnext|"
                      r"recommend\w*|you-may-like)(?=$|[\s_-])", re.I)
_HIDDEN_CLASS = re.compile(r"(?:^|\s)(?:hidden|hide|d-none|is-hidden|sr-only|screen-reader-text|"
                           r"visually-hidden|visuallyhidden|invisible|offscreen|"
                           r"element-invisible)(?=$|\s)", re.I)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)

JUNK_TEXT = re.compile(
    r"(?:advertisement|advertisment|ad|sponsored( content)?|story continues below( advertisement)?"
    r"|(article|story) continues below.*|continue reading( below| the main story)?"
    r"|scroll (down )?to continue.*|leave a (reply|comment).*|post comment|submit comment"
    r"|your email address will not be published.*|required fields are marked.*"
    r"|share (this|the) (article|story|post)?.*|share this:?|like this:?|loading\W*"
    r"|related( posts| articles| stories| reads)?\W*|you (may|might) also like\W*"
    r"|sign up for .*newsletter.*|subscribe (to|for|now).*|follow us( on)? .*"
    r"|click (here )?to (share|email|print|open).*|(tags?|filed under|topics|categories)\s*:.*"
    r"|posted in .*|(photo|image|picture|video)( credit)?s?\s*:.*|credit\s*:.*"
    r"|\(?(photo|image|picture) (by|courtesy|credit).*|\w[\w\s.]{0,40}/\s*(getty images|"
    r"shutterstock|ap|afp|reuters|invision|rex|wireimage)\)?"
    r"|getty images|shutterstock|(ap|afp) photo.*|view (this )?post on instagram"
    r"|a post shared by .*|(previous|next) (post|article|story)\W*.*)",
    re.I,
)


def hints(node: LexborNode) -> str:
    attrs = node.attributes
    return f"{attrs.get('class') or ''} {attrs.get('id') or ''}"


def is_hidden(node: LexborNode) -> bool:
    attrs = node.attributes
    style = attrs.get("style")
    return bool((style and _HIDDEN_STYLE.search(style))
                or _HIDDEN_CLASS.search(attrs.get("class") or ""))


def is_junk(hint: str) -> bool:
    return bool(hint.strip()) and _JUNK.search(hint) is not None and not _KEEP.search(hint)


def is_related(hint: str) -> bool:
    return _RELATED.search(hint) is not None


def junk_text(text: str) -> bool:
    """A short block that is a label, prompt or credit rather than prose."""
    return len(text) < 200 and JUNK_TEXT.fullmatch(text.strip()) is not None
