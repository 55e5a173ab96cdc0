"""BM25 over chunks (bm25s, sparse matrices), with one tokenizer shared by all lexical checks.

>>> bm25 = BM25Index.build(["a", "b"], ["Section 19 of the Children Act", "Early help"])
>>> bm25.search("section 19", k=1)[0][0]
'a'
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from functools import cached_property, lru_cache

import numpy as np

# NLTK's English list (as shipped by bm25s) plus words that only carry a question's form.
_QUESTION_FORM = " ".join(
    [
        "must would could might shall may tell please explain describe say says said mean means also",
        "expect expects think thinks want wants know give show list often frequently",
        # everyday words that carry no topic
        "get got gets getting someone somebody anyone anybody everyone everybody else thing things "
        "important really actually like lot kind sort way sure whether",
        # asking for the wording rather than the content
        "quote quoted quotes exact exactly verbatim word words wording document documents text passage",
        # the vocabulary of attempts to override instructions
        "ignore ignoring instruction instructions rule rules forget just",
    ]
).split()

_TOKEN = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_EN_PLUS

    return frozenset(STOPWORDS_EN_PLUS) | frozenset(_QUESTION_FORM)


@lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    import Stemmer  # PyStemmer: the Snowball stemmers, compiled

    return Stemmer.Stemmer("english")


def stopwords() -> frozenset[str]:
    return _stopwords()


def content_words(text: str) -> list[str]:
    """Lower-cased words that carry content, unstemmed; numbers are kept ("19", "2" of "18(2)")."""
    return [
        w
        for w in _TOKEN.findall(text.lower().replace("’", "'").replace("'s", ""))
        if w not in _stopwords() and (len(w) > 1 or w.isdigit())
    ]


def tokenize(text: str) -> list[str]:
    """Stemmed content words: what BM25 and every lexical check compare."""
    return list(_tokenized(text))


@lru_cache(maxsize=20_000)
def _tokenized(text: str) -> tuple[str, ...]:
    """Kept for the texts last tokenized: a question's candidate sentences were tokenized again
    for every question that retrieved them (a sixth of a warm answer's time)."""
    return tuple(_stem_all(text))


def _stem_all(text: str) -> list[str]:
    return list(_stemmer().stemWords(content_words(text)))


def stem(word: str) -> str:
    return str(_stemmer().stemWord(word))


class BM25Index:
    """Lexical scores for a fixed list of ids; query cost follows the query's postings."""

    def __init__(self, ids: list[str], groups: list[str], model, document_frequency: dict[str, int]) -> None:  # type: ignore[no-untyped-def]
        self.ids = ids
        self.groups = np.asarray(groups, dtype=object)  # the document each id belongs to
        self._model = model
        self.document_frequency = document_frequency
        self.vocabulary = frozenset(document_frequency)
        n = max(len(ids), 1)
        # BM25's idf; a word the corpus never uses weighs as much as the rarest one.
        self.idf = {t: math.log(1 + (n - df + 0.5) / (df + 0.5)) for t, df in document_frequency.items()}
        self.max_idf = math.log(1 + (n + 0.5) / 1.5)

    @classmethod
    def build(cls, ids: list[str], texts: list[str], groups: list[str] | None = None) -> BM25Index:
        import bm25s

        tokens = [_stem_all(t) or ["\x00empty"] for t in texts]  # not kept: every chunk, once
        model = bm25s.BM25()
        if ids:
            model.index(tokens, show_progress=False)
        return cls(ids, groups or list(ids), model, Counter(t for doc in tokens for t in set(doc)))

    def arrays(self) -> tuple[dict[str, np.ndarray], dict[str, object]]:
        """What `from_arrays` needs to make this index again without tokenizing a chunk: the
        precomputed scores (bm25s's CSC matrix) as arrays, the rest as JSON-able values."""
        scores = self._model.scores if self.ids else {}
        vocab = sorted(self._model.vocab_dict, key=self._model.vocab_dict.get) if self.ids else []
        terms = sorted(self.document_frequency)
        arrays = {k: np.asarray(scores[k]) for k in ("data", "indices", "indptr") if k in scores}
        arrays["df"] = np.asarray([self.document_frequency[t] for t in terms], dtype=np.int64)
        meta = {"ids": self.ids, "groups": list(self.groups), "vocab": vocab, "terms": terms}
        return arrays, meta | {"num_docs": int(scores.get("num_docs", 0))}

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], meta: dict) -> BM25Index:  # type: ignore[type-arg]
        import bm25s

        model = bm25s.BM25()
        if meta["ids"]:
            model.scores = {k: arrays[k] for k in ("data", "indices", "indptr")} | {"num_docs": meta["num_docs"]}
            model.vocab_dict = {t: i for i, t in enumerate(meta["vocab"])}
            model.unique_token_ids_set = set(model.vocab_dict.values())
            model.nonoccurrence_array = None  # Lucene's BM25 (bm25s's default, used here) has none
        df = dict(zip(meta["terms"], (int(x) for x in arrays["df"]), strict=True))
        return cls(list(meta["ids"]), list(meta["groups"]), model, df)

    def __len__(self) -> int:
        return len(self.ids)

    @cached_property
    def rows(self) -> GroupRows:
        return GroupRows(self.groups)

    def _scores(self, terms: list[str]) -> np.ndarray:
        """bm25s's `get_scores`: the same float32 sums in the same order (its numpy backend adds term by
        term with `np.add.at`; one `np.add.at` over the terms' columns in turn adds in that order too),
        without its per-call checks and conversions (a fifth of the time for a question's ~10 terms)."""
        model = self._model
        if model.nonoccurrence_array is not None:  # a BM25 variant that scores absent words: not ours
            return model.get_scores(terms)  # type: ignore[no-any-return]
        data, indices, indptr = (model.scores[k] for k in ("data", "indices", "indptr"))
        scores = np.zeros(model.scores["num_docs"], dtype=np.dtype(model.dtype))
        columns = [slice(indptr[c], indptr[c + 1]) for t in terms if (c := model.vocab_dict.get(t)) is not None]
        if columns:
            np.add.at(scores, np.concatenate([indices[c] for c in columns]), np.concatenate([data[c] for c in columns]))
        return scores

    def search(self, query: str, k: int, groups: list[str] | None = None) -> list[tuple[str, float]]:
        """Top `k` ids by BM25 score (zero scores left out), optionally within some groups."""
        terms = [t for t in tokenize(query) if t in self.vocabulary]
        if not terms or not self.ids or k <= 0:
            return []
        scores = np.asarray(self._scores(terms), dtype=np.float64)
        if groups:
            scores = np.where(self.rows.mask(groups), scores, 0.0)
        k = min(k, len(self.ids))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(self.ids[i], float(scores[i])) for i in top if scores[i] > 0]


class GroupRows:
    """Each group's rows (a chunk's document), made once: `mask(doc_ids)` is `np.isin(groups, doc_ids)`
    without comparing every row's string (np.isin sorts an object array: 50-100 µs a scoped question)."""

    def __init__(self, groups: Iterable[str]) -> None:
        rows: dict[str, list[int]] = {}
        size = 0
        for size, group in enumerate(groups, start=1):
            rows.setdefault(group, []).append(size - 1)
        self.size = size
        self.rows = {g: np.asarray(r, dtype=np.intp) for g, r in rows.items()}

    def mask(self, wanted: Iterable[str]) -> np.ndarray:
        mask = np.zeros(self.size, dtype=bool)
        for group in set(wanted):
            if (rows := self.rows.get(group)) is not None:
                mask[rows] = True
        return mask
