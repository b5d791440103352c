"""What is not article text: tags, class/id hints, hidden markers and stock phrases.

Class and id hints are matched per hyphen/underscore-separated word, so `share-bar` and
`post_tags` match while `thread` or `shared-content-body` do not trip on `ad` or `share`.
"""

from __future__ import annotations

import enum
import functools
import re

from selectolax.lexbor import LexborNode

# Words of class and id names that mark boilerplate: patterns for a whole word, space-separated.
_WORDS = (
    r"ads? adv advert\w* adsbygoogle ad\d+ adunit\w* adslot\w* adwrap\w* dfp\w* gpt "
    r"sponsor\w* promo\w* partner\w* "
    r"share\w* sharing social\w* sharedaddy addtoany a2a\w* "
    r"newsletter\w* subscri\w* signup optin paywall "
    r"comments? respond disqus "
    r"cookies? consent gdpr "
    r"breadcrumbs? nav navbar navigation menu pagination pager prev previous next "
    r"bio authorbio author(?=[-_\s]+(?:bio|box|info|card|about)) about "
    r"tags? taglist categories cat cats topics keywords "
    r"byline dateline meta timestamp "
    r"header footer masthead sidebar toolbar tools print "
    r"caption credits? "
    r"trending popular most recent latest recirc\w* outbrain taboola zergnet "
    r"modal popup overlay banner "
    r"related\w* relatedposts yarpp\w* crp recommend\w* more readnext "
    r"skip hide hidden"
)


def _alternation(words: str) -> str:
    """Space-separated word patterns, each opening with a letter, as one alternation
    grouped by that letter (`a(?:ds?|dv)|s(?:hare)`). Wherever a word can start, the regex
    engine tries every alternative in turn, and passes over a group whose letter is not there
    in one step: the same names match in half the time. Most of a page's names are new to
    the verdict cache on a first visit."""
    groups: dict[str, list[str]] = {}
    for word in words.split():
        groups.setdefault(word[0], []).append(word[1:])
    return "|".join(f"{first}(?:{'|'.join(rest)})" for first, rest in groups.items())


class Hints:
    r"""A pattern of lowercase words, searched for case-insensitively in class and id names.
    ASCII names, nearly all of them, are lowercased and searched case-sensitively instead:
    that finds the same several times faster, as IGNORECASE folds every character compared
    and keeps the regex engine from skipping to where a match can start.

    The text is searched with a space in front, so a pattern marks the start of a word with a
    separator class alone (`[\s_-]`, `\s`), which also matches at the start of the name.
    Written `(?:^|[\s_-])`, the same words are found, but a pattern that opens with a
    character class lets the engine skip straight to the separators, about a third faster;
    the misses of the verdict caches, one per new class name, are most of a cold page's
    regex time."""

    def __init__(self, pattern: str) -> None:
        self._ascii = re.compile(pattern)
        self._any = re.compile(pattern, re.I)

    def found_in(self, text: str) -> bool:
        if text.isascii():
            return self._ascii.search(" " + text.lower()) is not None
        return self._any.search(" " + text) is not None


# A widget is a sidebar's box when its class starts with the word (`widget widget_text`,
# `widget-area`); inside a name (`elementor-widget-container`) it is a page builder's block,
# which holds the article as often as anything else. `(?<=\s)widget` is `\swidget` kept inside
# the one alternative: a second one at the top keeps the engine from skipping to separators.
_JUNK = Hints(rf"[\s_-](?:(?:{_alternation(_WORDS)})(?=$|[\s_-])|(?<=\s)widget)")
# Words that outweigh a junk hint: `article-body share-enabled` is still the article.
_KEEP = Hints(r"[\s_-](?:article|body|content|entry|main|post|story|text)"
              r"(?:[\s_-](?:body|content|text))?(?=$|[\s_-])")
_RELATED_WORDS = r"related\w* relatedposts yarpp\w* crp readnext recommend\w* you-may-like"
_RELATED = Hints(rf"[\s_-](?:{_alternation(_RELATED_WORDS)})(?=$|[\s_-])")
_HIDDEN_WORDS = ("hidden hide d-none is-hidden sr-only screen-reader-text visually-hidden "
                 "visuallyhidden invisible offscreen element-invisible")
_HIDDEN_CLASS = Hints(rf"\s(?:{_alternation(_HIDDEN_WORDS)})(?=$|\s)")
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
    r"|\(?(photo|image|picture) (by|courtesy|credit).*"
    r"|getty images|shutterstock|(ap|afp) photo.*|view (this )?post on instagram"
    r"|a post shared by .*|(previous|next) (post|article|story)\W*.*"
    r"|(comments|discussion) (are|is|have been) (now )?closed\W*|comments? closed\W*"
    r"|(print|printer[- ]friendly|e-?mail|send)( this)?( (article|story|page|version|to a friend))?"
    r"(\s*[|/·]\s*(print|printer[- ]friendly|e-?mail|send)( this)?"
    r"( (article|story|page|version|to a friend))?)*\W*)",
    re.I,
)


_HIDDEN_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "dialog",
                           "alert", "search", "menu", "menubar", "toolbar"})


class Verdict(enum.IntEnum):
    KEEP = 0
    HIDDEN = 1
    JUNK = 2
    RELATED = 3


@functools.lru_cache(maxsize=65536)
def _hint_verdict(klass: str, ident: str) -> Verdict:
    """Cached: class and id strings repeat heavily within and across pages, and most names
    of a page are new to the cache on a first visit. Most hold no word of any verdict and
    are settled by one search; a name saying "comment" is not, as taking a comment state out
    of it (`_comment_hints`) can join what is left into a word."""
    hint = f"{klass} {ident}"
    if "omment" not in hint and not _ANY_WORD.found_in(hint):
        return Verdict.KEEP
    return _named_verdict(klass, ident, hint)


def _named_verdict(klass: str, ident: str, hint: str) -> Verdict:
    """The verdict of a class and id (`hint` is both). A comment section is junk even where
    its name says body or content (`comment-body`)."""
    if _HIDDEN_CLASS.found_in(klass):
        return Verdict.HIDDEN
    if _RELATED.found_in(hint):
        return Verdict.RELATED
    if _comment_hints(klass, ident):
        return Verdict.JUNK
    if _JUNK.found_in(hint) and not _KEEP.found_in(hint):
        return Verdict.JUNK
    return Verdict.KEEP


@functools.lru_cache(maxsize=1024)
def _hidden_style(style: str) -> bool:
    return _HIDDEN_STYLE.search(style) is not None


def verdict(node: LexborNode) -> Verdict:
    """Whether an element is hidden from readers (hidden, aria-hidden, display:none,
    screen-reader-only copies, chrome ARIA roles), boilerplate by its class/id, a related-reads
    box, or neither."""
    return verdict_of(node.attributes)


def verdict_of(attrs: dict[str, str | None]) -> Verdict:
    """`verdict` for an element whose attributes the caller has read already."""
    if not attrs:
        return Verdict.KEEP
    klass = attrs.get("class")
    ident = attrs.get("id")
    # Most elements carry a class or an id and nothing else: no other marker to look for.
    if len(attrs) != (klass is not None) + (ident is not None) and (
            "hidden" in attrs or attrs.get("aria-hidden") == "true"
            or attrs.get("role") in _HIDDEN_ROLES
            or ((style := attrs.get("style")) and _hidden_style(style))):
        return Verdict.HIDDEN
    return _hint_verdict(klass or "", ident or "")


_COMMENT_WORDS = r"comments? commentlist disqus\w* respond discussion replies community"
_COMMENTS = Hints(rf"[\s_-](?:{_alternation(_COMMENT_WORDS)})(?=$|[\s_-])")
# Any word a verdict looks for, after a separator of any kind and before one (the widget
# before anything): a name holding none is kept, told by this one search rather than four.
_ALL_WORDS = f"{_WORDS} {_RELATED_WORDS} {_COMMENT_WORDS} {_HIDDEN_WORDS}"
_ANY_WORD = Hints(rf"[\s_-](?:(?:{_alternation(_ALL_WORDS)})(?=$|[\s_-])|widget)")


def comments_of(attrs: dict[str, str | None]) -> bool:
    """Whether an element (given its attributes) is a comment section, however much text it
    holds: it can outweigh the article."""
    return bool(attrs) and _comment_hints(attrs.get("class") or "", attrs.get("id") or "")


# Classes that state whether a post has comments (`has-comments`, `comments-open`) name the
# post, not a comment section.
_COMMENT_STATE = re.compile(r"(?:has|no|with|show|allow|enable|disable)[_-]comments?"
                            r"|comments?[_-](?:open|closed|enabled|disabled|allowed|count)", re.I)


@functools.lru_cache(maxsize=65536)
def _comment_hints(klass: str, ident: str) -> bool:
    hint = f"{klass} {ident}"
    if "omment" in hint:
        hint = _COMMENT_STATE.sub(" ", hint)
    return _COMMENTS.found_in(hint)


def is_hidden(node: LexborNode) -> bool:
    return verdict(node) is Verdict.HIDDEN


# "Name/Getty Images": kept apart from JUNK_TEXT and tried only when there is a slash, as its
# open-ended start would otherwise be tried (and backtracked) on every paragraph.
_AGENCY_CREDIT = re.compile(r"\w[\w\s.]{0,40}/\s*(getty images|shutterstock|ap|afp|reuters|"
                            r"invision|rex|wireimage)\)?", re.I)


def junk_text(text: str) -> bool:
    """A short block that is a label, prompt or credit rather than prose."""
    if len(text) >= 200:
        return False
    text = text.strip()
    return JUNK_TEXT.fullmatch(text) is not None or (
        "/" in text and _AGENCY_CREDIT.fullmatch(text) is not None)
