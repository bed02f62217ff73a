"""The subset of MQL (MomaPIX Query Language) the sandbox understands.

    mql      := (attribute ":" value " ")* keywords        attribute:value pairs MUST precede keywords
    keywords := and ("|" and)*                              space is AND, | is OR (AND binds tighter)
    and      := unary+
    unary    := "-" unary | "(" keywords ")" | '"' phrase '"' | "@" field unary | word | "%"

A word is matched against the general index (title, caption, file name, the id, server fields); a word
holding punctuation (`acme-anvil-50lb`) matches its parts as a phrase; `word*` matches a prefix; `%`
matches the whole archive. `:` and `"` are reserved in keywords. Anything else is a syntax error (400).
"""
import re
from datetime import date

from .jsonapi import ApiError

FIELDS = ("caption", "title", "file_name", "description", "text", "reference", "byline", "product_code")
ATTRIBUTES = ("position", "license", "media_type", "image_size", "subject_date")
MEDIA_TYPES = {"photo": 1, "video": 2, "audio": 4, "text": 8}
LICENSES = {"RM": 1, "RF": 2, "CF": 4}
IMAGE_SIZES = {1: 70, 2: 48, 3: 24, 4: 15, 5: 5, 6: 1}  # value -> at least N MB
_TOKEN = re.compile(r'\s*(?:(\()|(\))|(\|)|("[^"]*"?)|(-)(?=\S)|(@[a-z_]+)|([^\s()|"]+))')
_WORD = re.compile(r"\w+")
_DATE = re.compile(r"^(\d{8})?(-)?(\d{8})?$")


class MQLError(ApiError):
    def __init__(self, detail: str):
        super().__init__(400, f"Invalid MQL string: {detail}", parameter="filter")


def words(text) -> list[str]:
    return _WORD.findall(str(text or "").lower())


class Query:
    """A parsed MQL string: `attributes` is {name: predicate on an item}; `matches(doc)` tests keywords."""

    def __init__(self, mql: str, allow_all: bool = True):
        self.text = mql
        pairs, rest = _split_attributes(mql)
        self.attributes = {name: _attribute(name, value) for name, value in pairs}
        self._tokens = _tokenize(rest)
        if not self._tokens:
            raise MQLError("keywords are mandatory")
        self._pos = 0
        self._expr = self._or()
        if self._pos != len(self._tokens):
            raise MQLError(f"unexpected {self._tokens[self._pos][1]!r}")
        if not allow_all and self._uses_all:
            raise MQLError("% is not allowed on this archive")

    _uses_all = False

    # -- parser ---------------------------------------------------------------------------------
    def _peek(self):
        return self._tokens[self._pos] if self._pos < len(self._tokens) else (None, None)

    def _next(self):
        tok = self._peek()
        self._pos += 1
        return tok

    def _or(self):
        terms = [self._and()]
        while self._peek()[0] == "or":
            self._next()
            terms.append(self._and())
        return lambda doc: any(t(doc) for t in terms)

    def _and(self):
        terms = []
        while self._peek()[0] not in (None, "or", "close"):
            terms.append(self._unary())
        if not terms:
            raise MQLError("an operator without keywords")
        return lambda doc: all(t(doc) for t in terms)

    def _unary(self, field=None):
        kind, value = self._next()
        if kind == "not":
            inner = self._unary(field)
            return lambda doc: not inner(doc)
        if kind == "open":
            inner = self._or()
            if self._next()[0] != "close":
                raise MQLError("unbalanced parenthesis")
            return inner
        if kind == "field":
            if value not in FIELDS:
                raise MQLError(f"unknown field @{value}")
            if self._peek()[0] in (None, "or", "close"):
                raise MQLError(f"@{value} needs a keyword")
            return self._unary(value)
        if kind == "phrase":
            return _phrase(words(value), field)
        if kind == "word":
            if value == "%":
                self._uses_all = True
                return lambda doc: True
            return _word(value, field)
        raise MQLError(f"unexpected {value!r}")

    def matches(self, doc: dict) -> bool:
        """`doc` maps field names to text, plus "id" for a search by id."""
        return self._expr(doc)


def _split_attributes(mql: str):
    chunks, pairs = mql.split(), []
    while chunks and ":" in chunks[0] and not chunks[0].startswith(('"', "(", "-", "@")):
        name, _, value = chunks.pop(0).partition(":")
        pairs.append((name, value))
    rest = " ".join(chunks)
    if ":" in rest:
        raise MQLError("colon (:) is reserved: attribute:value pairs must precede the keywords")
    return pairs, rest


def _tokenize(text: str):
    tokens, pos = [], 0
    kinds = ("open", "close", "or", "phrase", "not", "field", "word")
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise MQLError(f"cannot read {text[pos:]!r}")
        pos = m.end()
        kind = next(k for k, g in zip(kinds, m.groups()) if g is not None)
        value = m.group(kinds.index(kind) + 1)
        if kind == "phrase":
            if len(value) < 2 or not value.endswith('"'):
                raise MQLError('unbalanced double quote (")')
            value = value[1:-1]
            if not words(value):
                raise MQLError("an empty phrase")
        elif kind == "field":
            value = value[1:]
        tokens.append((kind, value))
    return tokens


def _text(doc: dict, field):
    if field is not None:
        return words(doc.get(field))
    return [w for name, value in doc.items() if name != "id" for w in words(value)]


def _word(word: str, field):
    prefix = word.endswith("*")
    parts = words(word.rstrip("*"))
    if not parts:
        raise MQLError(f"{word!r} holds no searchable characters")

    def test(doc):
        if field is None and not prefix and str(doc.get("id")) == word:
            return True  # "The keywords part can also be used to search by id"
        return _contains(_text(doc, field), parts, prefix)

    return test


def _phrase(parts, field):
    return lambda doc: _contains(_text(doc, field), parts, False)


def _contains(haystack, parts, prefix) -> bool:
    n = len(parts)
    for i in range(len(haystack) - n + 1):
        if haystack[i:i + n - 1] == parts[:-1]:
            last = haystack[i + n - 1]
            if last == parts[-1] or (prefix and last.startswith(parts[-1])):
                return True
    return False


# -- attributes ---------------------------------------------------------------------------------
def _bitmask(name: str, value: str, high: int) -> int:
    if not value.isdigit() or not 1 <= int(value) <= high:
        raise MQLError(f"{name} takes a bitmask between 1 and {high}")
    return int(value)


def _attribute(name: str, value: str):
    if name == "media_type":
        mask = _bitmask(name, value, 15)
        return lambda item: bool(MEDIA_TYPES[item.archive] & mask)
    if name == "license":
        mask = _bitmask(name, value, 7)
        return lambda item: bool(LICENSES.get(item.license, 0) & mask)
    if name == "position":
        mask = _bitmask(name, value, 15)
        return lambda item: bool(_orientation(item) & mask)
    if name == "image_size":
        if value not in {str(k) for k in IMAGE_SIZES}:
            raise MQLError("image_size takes a value between 1 and 6")
        least = IMAGE_SIZES[int(value)] * 1024 * 1024
        return lambda item: item.archive == "photo" and item.file_size >= least
    if name == "subject_date":
        low, high = _date_range(value)
        return lambda item: low <= item.date <= high
    raise MQLError(f"unknown attribute {name!r}")


def _orientation(item) -> int:
    """1 portrait, 2 landscape, 4 square, 8 panoramic (wider than 2:1); 15 (all) also matches sizeless items."""
    if not item.xsize or not item.ysize:
        return 15
    if item.xsize > 2 * item.ysize:
        return 8
    return 1 if item.ysize > item.xsize else 2 if item.xsize > item.ysize else 4


def _date_range(value: str):
    """YYYYMMDD-YYYYMMDD (an interval), YYYYMMDD- (after), -YYYYMMDD (before), YYYYMMDD (that day)."""
    m = _DATE.match(value)
    if not m or not (m[1] or m[3]) or (m[1] and m[3] and not m[2]):
        raise MQLError("subject_date takes YYYYMMDD, YYYYMMDD-, -YYYYMMDD or YYYYMMDD-YYYYMMDD")
    low, high = (_iso(m[1]) if m[1] else "0000-00-00"), (_iso(m[3]) if m[3] else "9999-99-99")
    if m[1] and not m[2]:
        high = low
    return low, high


def _iso(text: str) -> str:
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:])).isoformat()
    except ValueError:
        raise MQLError(f"{text} is not a date") from None
