#!/usr/bin/env python3
"""Generates a native framework for the analysis benchmarks: N statements of real text with
planted groups of near-duplicates.

    python3 bench/gen_analysis.py -n 200000 [--seed 1] [--tasks CSV] [--groups 0.03] -o FILE

Text. Each statement joins the first part of one O*NET task statement to the last part of
another (../shared/corpora/onet/Task_Statements.csv, CC BY 4.0, read at run time, never
committed), so the words and their frequencies are real while nearly every statement is new;
knowledge and behaviour statements wrap it in the usual NOS openings, as gen_framework.py does.
Without that file the tasks come from gen_framework.py's built-in word list.

Planted near-duplicates. A share of the statements (--groups, default 3 %) each start a group
of 2 to 6 statements: the original and copies with one small edit each (a word dropped, a word
replaced by one from another task, two neighbouring words swapped, a word added, or none),
scattered over other units, as a suite's repeated statements are. The copies count towards N.

Layout as gen_framework.py: 6 key areas, a function per 28 units or so, a unit per 100
statements with its NOS fields; performance criteria, knowledge and behaviours in roughly the
proportions of real NOS. Output is deterministic for the same arguments and inputs.
"""

import argparse
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen_framework as gf  # noqa: E402  (the same key areas, openings and task reader)


def recombined(rng, tasks):
    """A statement from the head of one task and the tail of another."""
    a = rng.choice(tasks).rstrip(".").split()
    b = rng.choice(tasks).rstrip(".").split()
    head = a[:max(2, int(len(a) * rng.uniform(0.4, 0.7)))]
    tail = b[max(1, int(len(b) * rng.uniform(0.4, 0.7))):]
    words = head + tail
    return " ".join(words) + "."


def edited(rng, text, tasks):
    """One small edit of a statement, for a planted near-duplicate."""
    words = text.rstrip(".").split()
    kind = rng.randrange(5)
    if kind == 0 and len(words) > 3:
        del words[rng.randrange(len(words))]
    elif kind == 1:
        words[rng.randrange(len(words))] = rng.choice(rng.choice(tasks).split()).strip(".,")
    elif kind == 2 and len(words) > 2:
        i = rng.randrange(len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
    elif kind == 3:
        words.insert(rng.randrange(len(words) + 1), rng.choice(rng.choice(tasks).split()).strip(".,"))
    return " ".join(words) + "."


def statement_texts(rng, n, tasks, group_share):
    """N statement texts; planted groups are scattered through the list."""
    texts = []
    groups = 0
    while len(texts) < n:
        base = recombined(rng, tasks)
        texts.append(base)
        if rng.random() < group_share:
            groups += 1
            for _ in range(rng.randint(1, 5)):
                if len(texts) < n:
                    texts.append(edited(rng, base, tasks))
    rng.shuffle(texts)
    return texts, groups


def build(n, seed, tasks, group_share, soc):
    rng = random.Random(seed)
    texts, planted = statement_texts(rng, n, tasks, group_share)
    units = max(1, round(n / 100))
    per_unit = gf.split_counts(n, units, rng, spread=0.6)
    functions = max(len(gf.KEY_AREAS), round(units / 28))
    functions_per_area = gf.split_counts(functions, len(gf.KEY_AREAS), rng, spread=0.3)
    units_per_function = gf.split_counts(units, functions, rng, spread=0.4)
    cursor = 0
    unit_no = 0
    function_no = 0
    items = []
    for a, (area_title, area_text) in enumerate(gf.KEY_AREAS):
        area_code = chr(ord("A") + a)
        area = {"type": "key-area", "code": area_code, "title": area_title, "text": area_text,
                "children": []}
        items.append(area)
        for f in range(functions_per_area[a]):
            function = {"type": "function", "code": f"{area_code}.{f + 1}",
                        "title": f"Function {area_code}.{f + 1}",
                        "text": gf.short_title(texts[(7 * function_no) % len(texts)], 9),
                        "children": []}
            area["children"].append(function)
            count = units_per_function[function_no] if function_no < len(units_per_function) else 0
            if a == len(gf.KEY_AREAS) - 1 and f == functions_per_area[a] - 1:
                count = units - unit_no  # the rounding's leftovers go under the last function
            for _ in range(count):
                size = per_unit[unit_no]
                function["children"].append(unit(rng, unit_no, texts[cursor:cursor + size], soc))
                cursor += size
                unit_no += 1
            function_no += 1
    framework = {
        "code": "ANALYSIS", "edition": str(n), "title": f"Analysis benchmark suite of {n:,} statements",
        "status": "approved", "publisher": "OpenNOS benchmark generator",
        "keyPurpose": "To carry out and improve work activities safely and effectively.",
        "description": "Generated for benchmarking OpenNOS's analyses. Statement text is "
                       "recombined from O*NET task statements (O*NET 29.3 Database by the U.S. "
                       "Department of Labor, Employment and Training Administration, CC BY 4.0) "
                       "when available. Not a real standard.",
        "language": "en", "licence": "CC-BY-4.0", "published": "2025-01-15",
    }
    return {"opennos": "framework/1", "framework": framework, "items": items,
            "associations": []}, planted


def unit(rng, unit_no, texts, soc):
    code = f"U{unit_no + 1:05d}"
    title = gf.short_title(texts[0]) if texts else code
    node = {"type": "unit", "code": code, "title": title,
            "text": f"This standard is about how to {gf.lower_first(texts[0]) if texts else 'work'}.",
            "urn": f"ANA{unit_no + 1:05d}", "version": 1, "status": "original",
            "developedBy": "OpenNOS benchmark", "validity": "current",
            "category": rng.choice(gf.CATEGORIES),
            "occupations": sorted(set(rng.sample(soc, 2))), "children": []}
    counters = {"P": 0, "K": 0, "B": 0}
    for text in texts:
        r = rng.random()
        if r < 0.45:
            kind, typ, body = "P", "performance-criterion", text
        elif r < 0.85:
            kind, typ = "K", "knowledge"
            body = rng.choice(gf.KNOWLEDGE_OPENINGS).format(t=gf.lower_first(text))
        else:
            kind, typ = "B", "behaviour"
            body = rng.choice(gf.BEHAVIOUR_OPENINGS).format(t=gf.lower_first(text)) + "."
        counters[kind] += 1
        node["children"].append({"type": typ, "code": f"{code}.{kind}{counters[kind]}",
                                 "text": body})
    return node


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("-n", "--statements", type=int, default=200_000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--tasks", default=gf.DEFAULT_TASKS, help="O*NET Task_Statements.csv")
    p.add_argument("--soc", default=gf.DEFAULT_SOC, help="SOC 2020 soc_4d_condensed.txt")
    p.add_argument("--groups", type=float, default=0.03,
                   help="share of statements that start a planted group")
    p.add_argument("-o", "--output", required=True)
    args = p.parse_args()
    if args.statements < 1:
        p.error("-n must be at least 1")
    rng = random.Random(args.seed)
    groups, source = gf.task_groups(args.tasks, rng)
    tasks = [t for _, ts in groups for t in ts]
    soc = gf.load_soc(args.soc, rng)
    doc, planted = build(args.statements, args.seed, tasks, args.groups, soc)
    tmp = args.output + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    os.replace(tmp, args.output)
    print(f"{args.output}: {args.statements} statements, {planted} planted groups, "
          f"{os.path.getsize(args.output):,} bytes ({source})", file=sys.stderr)


if __name__ == "__main__":
    main()
