"""Korean names by particle rules (geo/_scripts.py, what the geoparser uses) against kiwipiepy's
morphological analysis, on the held-out Korean sentences (tests/data/ru_ko/ko.jsonl).

    pip install kiwipiepy kiwipiepy-model   # not a dependency: its model is a 90 MB download
    python benchmarks/compare_korean_kiwi.py

The kiwipiepy reader takes runs of adjacent nouns (NNP, NNG, XSN) whose joined form is a name of the
same index, and a kind suffix after them; both are resolved by the same geoparser and scored alike.
"""
import time
from kiwipiepy import Kiwi
import geo._scripts as S
from geo.geoparser import default_geoparser
from tests import ru_ko

t0 = time.time(); kiwi = Kiwi(); print("kiwi load", round(time.time() - t0, 2), "s")
gp = default_geoparser()
table = gp.gz.native["ko"]
KIND = {"항": "port", "시": "city", "군": "", "읍": "town", "역": "town", "강": "river"}

def kiwi_candidates(index, text, spans=None):
    out = []
    toks = kiwi.tokenize(text)
    i = 0
    while i < len(toks):
        t = toks[i]
        if t.tag in ("NNP", "NNG", "SL") and "\uac00" <= t.form[:1] <= "\ud7a3":
            # the longest run of adjacent nouns whose joined form is a name
            best = None
            form, end = "", t.start
            for j in range(i, min(i + 4, len(toks))):
                u = toks[j]
                if u.tag not in ("NNP", "NNG", "XSN") or (j > i and u.start != end):
                    break
                form += u.form; end = u.start + u.len
                k = table.get(form)
                if k is not None:
                    best = (j, k, end)
            if best:
                j, k, end = best
                hint = ""
                if j + 1 < len(toks) and toks[j + 1].start == end and toks[j + 1].form in KIND:
                    hint = KIND[toks[j + 1].form]; end += toks[j + 1].len
                out.append((t.start, end, k, hint))
                i = j + 1
                continue
        i += 1
    return out

def run(fn):
    S.ko_candidates = fn
    r = ru_ko.score("ko")
    return r
orig = S.ko_candidates
t0 = time.process_time(); r1 = run(orig); t1 = time.process_time() - t0
t0 = time.process_time(); r2 = run(kiwi_candidates); t2 = time.process_time() - t0
print("particle rules: P %.3f R %.3f (%.2f s)" % (r1["P"], r1["R"], t1))
print("kiwipiepy:      P %.3f R %.3f (%.2f s)" % (r2["P"], r2["R"], t2))

