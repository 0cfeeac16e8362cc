#!/usr/bin/env python3
"""Generates the search benchmark's corpus: F native framework files (opennos-framework/1) of
about N statements each, from real text, for bench/search_bench.sh.

    python3 bench/search_corpus.py [--frameworks 25] [--statements 40000] [--units 1000]
                                   [--seed 7] [--corpora DIR] -o OUTDIR

Units are real NOS catalogue records (title, URN, developer, suite, keywords, validity,
category) from ../shared/corpora/nos/, grouped by developer and suite so that a framework
reads like a few related suites. A unit's statements are built from the real sentences that
share words with its title and keywords (O*NET task statements; ESCO occupation descriptions
turned into instructions; SOC 2020 tasks; ESCO skill labels; other NOS titles) and recombined,
so that a million statements are not eighteen thousand sentences repeated: a sentence's head
(its action and object) is joined to the tail (purpose, method, condition) of another sentence
of the same unit, or to one of the qualifiers NOS performance criteria use, and knowledge and
behaviour statements wrap it in the NOS openings. The generator prints how many statements are
distinct.

Without ../shared/corpora (or --corpora) the sentences are synthesised from word lists. Output
is deterministic for the same arguments and inputs. The files are written for benchmarking and
never committed (O*NET is CC BY 4.0; ESCO (c) European Union; SOC 2020 Crown copyright; the
NOS catalogue records come from nestauk/openjobs-SDS-NOS-2019).
"""

import argparse
import collections
import csv
import json
import os
import random
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_CORPORA = os.path.normpath(os.path.join(HERE, "..", "..", "shared", "corpora"))

STOP = set("a an and are as at be by for from has have how i in into is it its of on or that the "
           "their them there this to was what when with which who will you your they these those "
           "were been being do does so such than then my me our we us he she his her him all any "
           "other others such e.g etc".split())

KNOWLEDGE_OPENINGS = [
    "how to {t}", "the methods and techniques used to {t}",
    "the legal, regulatory and organisational requirements that apply when you {t}",
    "why it is important to {t}", "the information, tools and equipment you need to {t}",
    "the risks involved when you {t}, and how to control them", "who to consult when you {t}",
    "the procedures to follow when you {t}", "the limits of your own role when you {t}",
    "how to check the quality of your work when you {t}",
    "the records you must keep when you {t}",
]
BEHAVIOUR_OPENINGS = [
    "You consistently {t}", "You take personal responsibility to {t}",
    "You work openly with others to {t}", "You check your work carefully when you {t}",
    "You show respect for others when you {t}", "You seek advice when unsure how to {t}",
    "You make time to {t}",
]
QUALIFIERS = [
    "in line with organisational procedures", "with the people concerned",
    "within agreed timescales", "using approved methods and equipment",
    "according to legal and regulatory requirements", "to the agreed specification",
    "so that problems are resolved promptly", "taking account of available resources",
    "and record the outcome accurately", "and report any issues to the relevant person",
    "following health and safety requirements", "in a way that respects confidentiality",
    "within the limits of your own authority", "and confirm that the results meet requirements",
    "in consultation with colleagues and stakeholders", "using the appropriate documentation",
    "in line with environmental and sustainability policies",
    "and escalate risks to the appropriate person", "in accordance with manufacturers' instructions",
    "while minimising disruption to others",
]
KEY_AREAS = ["Plan and prepare work", "Carry out operations", "Work with people",
             "Manage resources", "Ensure quality and compliance", "Develop practice"]
# Where a sentence's head (action and object) ends and its tail (purpose, method...) begins.
SPLIT = re.compile(r"(,? (?:in order to|to ensure|to determine|to identify|to maintain|to prevent|"
                   r"to provide|to verify|to meet|so that|such as|including|using|according to|"
                   r"in accordance with|for use in|based on|with the aim of|by means of|through|"
                   r"to) )")

# Synthetic fallback.
VERBS = ("agree analyse arrange assess check communicate confirm coordinate develop document "
         "evaluate explain identify implement inspect install maintain monitor negotiate operate "
         "organise plan prepare record report review select supervise test update").split()
OBJECTS = ("work plans|customer requirements|safety procedures|equipment faults|quality records|"
           "project budgets|team objectives|risk assessments|maintenance schedules|training needs|"
           "stock levels|service standards|incident reports|work instructions|site conditions|"
           "client records|performance data|supplier contracts|test results|environmental "
           "controls|patient notes|hazardous substances|financial statements|data sets|"
           "vehicle systems|crop yields|learning resources|building services").split("|")


def words_of(text):
    return [w for w in re.findall(r"[a-z][a-z'-]+", text.lower()) if w not in STOP and len(w) > 3]


def key(w):  # a crude stem, enough to match "budget" with "budgets"
    return w[:-1] if w.endswith("s") and not w.endswith("ss") else w


def lower_first(s):
    s = s.strip().rstrip(".")
    return s[:1].lower() + s[1:] if s[1:2].islower() or len(s) < 2 else s


def upper_first(s):
    return s[:1].upper() + s[1:]


def imperative(verb):
    """'assesses' -> 'assess', 'carries' -> 'carry', 'diagnoses' -> 'diagnose'."""
    if verb.endswith("ies") and len(verb) > 4:
        return verb[:-3] + "y"
    if re.search(r"(sses|shes|ches|xes|zes)$", verb):
        return verb[:-2]
    if verb.endswith("s") and not verb.endswith("ss"):
        return verb[:-1]
    return verb


def third_to_imperative(text):
    """'assesses, tests and diagnoses a client's condition' -> 'assess, test and diagnose ...'."""
    tokens = text.split(" ")
    out, i, expect_verb = [], 0, True
    while i < len(tokens):
        t = tokens[i]
        bare = t.rstrip(",")
        if expect_verb and bare.endswith("s"):
            out.append(imperative(bare) + ("," if t.endswith(",") else ""))
            expect_verb = t.endswith(",")
            i += 1
            continue
        if not expect_verb and t in ("and", "or", "and/or") and i + 1 < len(tokens):
            out.append(t)
            expect_verb = True
            i += 1
            continue
        break
    return " ".join(out + tokens[i:])


def read_csv(path):
    with open(path, newline="", encoding="utf-8", errors="replace") as f:
        return list(csv.DictReader(f))


def load_sentences(corpora):
    """Real sentences written as instructions, each tagged with its source."""
    out = []
    onet = os.path.join(corpora, "onet", "Task_Statements.csv")
    if os.path.exists(onet):
        for r in read_csv(onet):
            t = " ".join(r["Task"].split())
            if t:
                out.append(t.rstrip("."))
    esco = os.path.join(corpora, "esco", "occupations_en.csv")
    if os.path.exists(esco):
        for r in read_csv(esco):
            for s in re.split(r"(?<=\.)\s+", " ".join(r["description"].split())):
                m = re.match(r"They (?:also |may also |may |often |usually )?([a-z]+)(.*)", s)
                if m and m.group(1) not in ("are", "have", "can", "must", "work", "need"):
                    out.append(upper_first(m.group(1) + m.group(2)).rstrip("."))
        for name in ("transversalSkillsCollection_en.csv", "ictSkillsCollection_en.csv"):
            path = os.path.join(corpora, "esco", name)
            if os.path.exists(path):
                for r in read_csv(path):
                    out.append(upper_first(r["preferredLabel"].strip()))
                    for alt in r["altLabels"].split("|")[:4]:
                        alt = alt.strip()
                        if len(alt.split()) >= 3:
                            out.append(upper_first(alt))
    soc = os.path.join(corpora, "soc2020", "soc2020_descriptions_raw.csv")
    if os.path.exists(soc):
        for r in read_csv(soc):
            for t in r.get("Tasks", "").split("~"):
                t = " ".join(t.replace("||", " ").split()).strip()
                if len(t.split()) >= 4:
                    out.append(upper_first(third_to_imperative(t)).rstrip("."))
    return out


def load_nos(corpora):
    rows = []
    for name in ("published_nos_details_old.csv", "published_nos_details_new.csv"):
        path = os.path.join(corpora, "nos", name)
        if os.path.exists(path):
            rows.extend(read_csv(path))
    units, seen = [], set()
    for r in rows:
        title = " ".join(r["NOS Title"].replace("\xa0", " ").split())
        urn = r["URN"].strip()
        if not title or (urn, title) in seen:
            continue
        seen.add((urn, title))
        suite = r["Suite"].replace("&nbsp;", " ").split(";")[0].strip()
        category = {"jobspecific": "job-specific", "job specific": "job-specific",
                    "core": "core", "generic": "generic"}.get(r["NOSCategory"].strip().lower(), "")
        units.append({
            "title": title, "urn": urn or None, "developer": r["Developed By"].strip(),
            "suite": suite or "General",
            "validity": "legacy" if r["Validity"].strip().lower() == "legacy" else "current",
            "category": category,
            "keywords": [k.strip().lower() for k in re.split(r"[;,]", r["Keywords"])
                         if k.strip()][:8],
            "occupation": r["Occupations"].split(";")[0].strip()})
    return units


def synthetic(rng, sentences=30000, units=20000):
    out = []
    for _ in range(sentences):
        v = rng.choice(VERBS)
        if rng.random() < 0.4:
            v += " and " + rng.choice(VERBS)
        out.append(f"{upper_first(v)} {rng.choice(OBJECTS)} {rng.choice(QUALIFIERS)}")
    nos = []
    for i in range(units):
        title = f"{upper_first(rng.choice(VERBS))} {rng.choice(OBJECTS)}"
        nos.append({"title": title, "urn": f"SYN{i:05d}", "developer": f"Developer {i % 40}",
                    "suite": f"Suite {i // 30}", "validity": "current", "category": "",
                    "keywords": words_of(title), "occupation": ""})
    return out, nos


class Pool:
    """Finds the sentences that share words with a unit's title and keywords."""

    def __init__(self, sentences, rng):
        self.sentences = sentences
        self.rng = rng
        postings = collections.defaultdict(list)
        for i, s in enumerate(sentences):
            for w in set(map(key, words_of(s))):
                postings[w].append(i)
        self.postings = postings
        self.heads, self.tails = [], []
        for s in sentences:
            m = None
            for m in SPLIT.finditer(s):
                if len(s[:m.start()].split()) >= 3:
                    break
            if m and len(s[:m.start()].split()) >= 3 and len(s[m.end():].split()) >= 2:
                self.heads.append(s[:m.start()].rstrip(","))
                self.tails.append(s[m.start():].lstrip(",").strip())
            else:
                self.heads.append(s)
                self.tails.append("")

    def for_unit(self, words, want):
        score = collections.Counter()
        for w in sorted(set(map(key, words))):
            ids = self.postings.get(w)
            if not ids or len(ids) > 4000:
                continue
            weight = 1.0 / (1 + len(ids)) ** 0.5
            sample = ids if len(ids) <= 200 else self.rng.sample(ids, 200)
            for i in sample:
                score[i] += weight
        best = [i for i, _ in score.most_common(want)]
        while len(best) < want:  # top up at random (units with rare or no matching words)
            best.append(self.rng.randrange(len(self.sentences)))
        return best


def split_counts(total, parts, rng, spread):
    weights = [1 + rng.uniform(-spread, spread) for _ in range(parts)]
    scale = total / sum(weights)
    counts = [max(1, int(w * scale)) for w in weights]
    i = 0
    while sum(counts) < total:
        counts[i % parts] += 1
        i += 1
    while sum(counts) > total:
        if counts[i % parts] > 1:
            counts[i % parts] -= 1
        i += 1
    return counts


def make_statement_text(rng, pool, ids):
    a = rng.choice(ids)
    r = rng.random()
    head, tail = pool.heads[a], pool.tails[a]
    if r < 0.3 or not tail and r < 0.45:
        return pool.sentences[a]
    if r < 0.7:
        b = rng.choice(ids)
        for _ in range(4):
            if pool.tails[b]:
                break
            b = rng.choice(ids)
        if pool.tails[b]:
            return f"{head} {pool.tails[b]}"
        return f"{head} {rng.choice(QUALIFIERS)}"
    if r < 0.9:
        return f"{head} {rng.choice(QUALIFIERS)}"
    b = rng.choice(ids)
    return f"{head} {pool.tails[b] or pool.tails[a]} {rng.choice(QUALIFIERS)}".replace("  ", " ")


def make_unit(rng, pool, nos, code, statements, soc, seen):
    ids = pool.for_unit(words_of(nos["title"]) + [w for k in nos["keywords"] for w in words_of(k)],
                        max(24, statements + statements // 2))
    pcs = max(1, round(statements * rng.uniform(0.38, 0.52)))
    behaviours = max(0, round(statements * rng.uniform(0.10, 0.20)))
    knowledge = max(0, statements - pcs - behaviours)
    children = []
    kinds = ([("performance-criterion", "P")] * pcs + [("knowledge", "K")] * knowledge +
             [("behaviour", "B")] * behaviours)
    counters = collections.Counter()
    texts = set()
    for kind, letter in kinds:
        for _ in range(6):  # not the same statement twice in a unit
            t = make_statement_text(rng, pool, ids)
            if kind == "knowledge":
                t = rng.choice(KNOWLEDGE_OPENINGS).format(t=lower_first(t))
            elif kind == "behaviour":
                t = rng.choice(BEHAVIOUR_OPENINGS).format(t=lower_first(t)) + "."
            else:
                t = upper_first(t.rstrip(".")) + "."
            if t not in texts:
                break
        texts.add(t)
        seen[hash(t)] += 1
        counters[letter] += 1
        children.append({"type": kind, "code": f"{code}.{letter}{counters[letter]}", "text": t})
    tasks = [lower_first(pool.sentences[i]) for i in ids[:3]]
    unit = {
        "type": "unit", "code": code, "title": nos["title"],
        "text": f"This standard is about how to {lower_first(nos['title'])}.",
        "overview": f"This standard is about how to {lower_first(nos['title'])}. It covers how you "
                    f"{tasks[0]}, {tasks[1]} and {tasks[2]}. It is for anyone who carries out "
                    "these activities as part of their job role"
                    + (f", such as a {nos['occupation'].lower()}." if nos["occupation"] else "."),
        "version": rng.randint(1, 4), "status": "original",
        "developedBy": nos["developer"] or "Unknown",
        "approved": f"{rng.randint(2012, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "validity": nos["validity"],
        "keywords": nos["keywords"] or words_of(nos["title"])[:4],
        "occupations": sorted(set(rng.sample(soc, rng.randint(1, 3)))),
        "children": children,
    }
    if nos["urn"]:
        unit["urn"] = nos["urn"]
    if nos["category"]:
        unit["category"] = nos["category"]
    return unit


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--frameworks", type=int, default=25)
    p.add_argument("--statements", type=int, default=40000, help="per framework")
    p.add_argument("--units", type=int, default=1000, help="per framework")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--corpora", default=DEFAULT_CORPORA)
    p.add_argument("-o", "--output", required=True, help="directory for search-NN.json")
    args = p.parse_args()
    rng = random.Random(args.seed)

    sentences = load_sentences(args.corpora) if os.path.isdir(args.corpora) else []
    nos = load_nos(args.corpora) if os.path.isdir(args.corpora) else []
    source = "real text (O*NET, ESCO, SOC 2020, NOS catalogue)"
    if len(sentences) < 1000 or len(nos) < 1000:
        sentences, nos = synthetic(rng)
        source = "synthetic text"
    # NOS titles are competence statements too.
    sentences = sentences + [u["title"] for u in nos if len(u["title"].split()) >= 3]
    sentences = sorted(set(sentences))
    pool = Pool(sentences, rng)
    soc_path = os.path.join(args.corpora, "soc2020", "soc_4d_condensed.txt")
    soc = []
    if os.path.exists(soc_path):
        with open(soc_path, encoding="utf-8") as f:
            soc = [line.split(":", 1)[0].strip() for line in f if ":" in line]
    soc = soc or [str(1000 + i * 17) for i in range(400)]

    # Units in developer and suite order, so each framework holds related suites; the NOS
    # records are reused (as in real NOS, where a unit sits in many suites) when more are needed.
    nos.sort(key=lambda u: (u["developer"], u["suite"], u["urn"] or "", u["title"]))
    total_units = args.frameworks * args.units
    order = []
    while len(order) < total_units:
        order.extend(range(len(nos)))
    order = order[:total_units]
    os.makedirs(args.output, exist_ok=True)
    seen = collections.Counter()
    total_statements = 0
    for f in range(args.frameworks):
        frng = random.Random(args.seed * 1000 + f)
        pool.rng = frng
        chosen = [nos[i] for i in order[f * args.units:(f + 1) * args.units]]
        per_unit = split_counts(args.statements, args.units, frng, 0.6)
        developers = collections.Counter(u["developer"] for u in chosen).most_common(2)
        suites = collections.Counter(u["suite"] for u in chosen).most_common(1)
        items = []
        per_area = split_counts(args.units, len(KEY_AREAS), frng, 0.3)
        u = 0
        for a, area_title in enumerate(KEY_AREAS):
            area = {"type": "key-area", "code": chr(ord("A") + a), "title": area_title,
                    "children": []}
            items.append(area)
            functions = max(1, round(per_area[a] / 28))
            per_function = split_counts(per_area[a], functions, frng, 0.4)
            for fn in range(functions):
                function = {"type": "function", "code": f"{area['code']}.{fn + 1}",
                            "children": []}
                area["children"].append(function)
                for _ in range(per_function[fn]):
                    nosu = chosen[u]
                    function["children"].append(make_unit(frng, pool, nosu, f"U{u + 1:04d}",
                                                          per_unit[u], soc, seen))
                    u += 1
                first = function["children"][0]["title"] if function["children"] else area_title
                function["title"] = first
        total_statements += args.statements
        doc = {"opennos": "framework/1", "framework": {
            "code": f"SB{f + 1:02d}", "edition": "2025",
            "title": f"{suites[0][0]} and related standards ({', '.join(d for d, _ in developers)})",
            "status": "superseded" if f % 10 == 9 else "approved",
            "publisher": developers[0][0],
            "description": "Generated for the OpenNOS search benchmark from real text (O*NET 29.3 "
                           "task statements, CC BY 4.0; ESCO; SOC 2020; NOS catalogue records). "
                           "Not a real standard.",
            "language": "en", "published": "2025-01-15"},
            "items": items, "associations": []}
        path = os.path.join(args.output, f"search-{f + 1:02d}.json")
        with open(path + ".tmp", "w", encoding="utf-8") as out:
            json.dump(doc, out, ensure_ascii=False, separators=(",", ":"))
            out.write("\n")
        os.replace(path + ".tmp", path)
        print(f"{path}: {args.statements} statements, {args.units} units", file=sys.stderr)
    distinct = len(seen)
    print(f"{total_statements} statements from {len(sentences)} source sentences ({source}); "
          f"{distinct} distinct texts ({100.0 * distinct / total_statements:.1f}%), the most "
          f"repeated text {max(seen.values())} times", file=sys.stderr)


if __name__ == "__main__":
    main()
