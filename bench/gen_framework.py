#!/usr/bin/env python3
"""Generates a large native framework file (opennos-framework/1) for the import benchmarks.

    python3 bench/gen_framework.py [-n 100000] [--units N] [--seed 1] [--tasks CSV] -o FILE

The framework has 6 key areas, a few functions under each, about one unit per 100 statements
(1,000 units at the default 100,000), and under each unit its performance criteria,
knowledge and understanding and behaviours, in roughly the proportions real NOS have
(about 45 : 40 : 15). "Statements" counts those three kinds only: the file holds
N statements plus the key areas, functions and units above them. Units carry the NOS fields
(URN, overview, version, status, developer, dates, validity, category, keywords, SOC 2020
occupations), and one `isRelatedTo` association links every other unit to another unit.

Text. When O*NET's Task_Statements.csv is there (default: ../shared/corpora/onet/ beside the
repository, or --tasks), statement text is drawn from its "Task" column: real sentences,
written as instructions, as NOS performance criteria are. Knowledge and behaviour statements
wrap a task in the usual NOS openings ("how to ...", "You ..."). O*NET is CC BY 4.0; the file
is generated at run time for benchmarking and never committed. Without that file the text is
synthesised from a built-in word list. SOC 2020 codes come from ../shared/corpora/soc2020/ when
it is there, and are made up otherwise.

Output is deterministic: the same arguments and inputs give the same bytes. Items carry no
UUIDs (as in a file written by hand): opennos derives them from the framework and the codes.
"""

import argparse
import csv
import json
import os
import random
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.normpath(os.path.join(HERE, "..", "..", "shared", "corpora"))
DEFAULT_TASKS = os.path.join(SHARED, "onet", "Task_Statements.csv")
DEFAULT_SOC = os.path.join(SHARED, "soc2020", "soc_4d_condensed.txt")

KEY_AREAS = [
    ("Plan and prepare work", "Plan, organise and prepare work activities, resources and sites so that work can "
     "be carried out safely, efficiently and to the required standard."),
    ("Carry out operations", "Carry out the core operational activities of the occupation to the agreed "
     "specification, quality standards and timescales."),
    ("Work with people", "Build and maintain productive working relationships with colleagues, customers, "
     "service users and other stakeholders."),
    ("Manage resources", "Make effective use of budgets, equipment, materials, information and people."),
    ("Ensure quality and compliance", "Monitor, check and improve work so that it meets legal, regulatory, "
     "organisational and customer requirements."),
    ("Develop practice", "Review and develop your own practice and that of others, and contribute to "
     "improving the way the organisation works."),
]

KNOWLEDGE_OPENINGS = [
    "how to {t}",
    "the methods and techniques used to {t}",
    "the legal, regulatory and organisational requirements that apply when you {t}",
    "why it is important to {t}",
    "the information, tools and equipment you need to {t}",
    "the risks involved when you {t}, and how to control them",
    "who to consult when you {t}",
]
BEHAVIOUR_OPENINGS = [
    "You consistently {t}",
    "You take personal responsibility to {t}",
    "You work openly with others to {t}",
    "You check your work carefully when you {t}",
    "You show respect for others when you {t}",
]
# Standards bodies and the developer codes their URNs start with.
DEVELOPERS = [("Skills for Care", "SCD"), ("Instructus", "INS"), ("Lantra", "LAN"),
              ("Energy & Utility Skills", "EUS"), ("ECITB", "ECI"), ("People 1st", "PPL"),
              ("Skills for Health", "SFH"), ("SEMTA", "SEM"), ("ScreenSkills", "SKS"),
              ("Cogent", "COG")]
CATEGORIES = ["core", "generic", "job-specific"]

# For the synthetic fallback: enough words to make varied, plausible sentences.
VERBS = ("agree analyse arrange assess check communicate confirm coordinate develop document "
         "evaluate explain identify implement inspect install maintain monitor negotiate "
         "operate organise plan prepare record report review select supervise test update").split()
OBJECTS = ("work plans, customer requirements, safety procedures, equipment faults, quality records, "
           "project budgets, team objectives, risk assessments, maintenance schedules, training "
           "needs, stock levels, service standards, incident reports, work instructions, site "
           "conditions, client records, performance data, supplier contracts, test results, "
           "environmental controls").split(", ")
QUALIFIERS = ["in line with organisational procedures", "with the people concerned",
              "within agreed timescales", "using approved methods and equipment",
              "according to legal and regulatory requirements", "to the agreed specification",
              "so that problems are resolved promptly", "taking account of available resources",
              "and record the outcome accurately", "and report any issues to the relevant person"]
OCCUPATION_WORDS = ("Operations Support Technical Field Service Maintenance Quality Care Site "
                    "Project Production Logistics Customer Facilities Laboratory Safety").split()
ROLES = "Technicians Supervisors Managers Coordinators Specialists Assistants Officers".split()


def load_tasks(path):
    """O*NET tasks grouped by occupation title, in file order: [(occupation, [task, ...])]."""
    groups = {}
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            task = " ".join(row["Task"].split())
            if task:
                groups.setdefault(row["Title"], []).append(task)
    return list(groups.items())


def task_groups(path, rng):
    """O*NET's tasks when the file is there, else synthetic ones: (groups, what they are)."""
    if path and os.path.exists(path):
        return load_tasks(path), "O*NET task statements"
    return synthetic_tasks(rng), "synthetic text"


def synthetic_tasks(rng, occupations=400, per=18):
    groups = []
    for i in range(occupations):
        title = f"{rng.choice(OCCUPATION_WORDS)} {rng.choice(ROLES)}"
        tasks = []
        for _ in range(per):
            verb, obj = rng.choice(VERBS), rng.choice(OBJECTS)
            if rng.random() < 0.5:
                verb += " and " + rng.choice([v for v in VERBS if v != verb])
            tasks.append(f"{verb.capitalize()} {obj} {rng.choice(QUALIFIERS)}.")
        groups.append((f"{title} {i + 1}", tasks))
    return groups


def load_soc(path, rng):
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            codes = [line.split(":", 1)[0].strip() for line in f if ":" in line]
        if codes:
            return codes
    return [f"{rng.randint(1, 9)}{rng.randint(1, 9)}{rng.randint(1, 9)}{rng.randint(1, 9)}"
            for _ in range(400)]


def lower_first(task):
    task = task.rstrip(".")
    return task[:1].lower() + task[1:] if task[1:2].islower() or len(task) < 2 else task


DANGLING = set("a an and as at before by for from how in into of on or the their to when where "
               "which while will with".split())


def short_title(task, words=9):
    """A unit or function title from a task: its first clause or two, a few words long."""
    clauses = re.split(r",|;| to ensure | in order to | such as | including ", task.rstrip("."))
    text = clauses[0]
    for more in clauses[1:]:  # "File, grind, sand, and smooth surfaces": not just "File"
        if len(text.split()) >= 3:
            break
        text += "," + more
    parts = text.split()[:words]
    while len(parts) > 2 and parts[-1].lower() in DANGLING:  # not "... to determine how rocks will"
        parts.pop()
    return " ".join(parts) if parts else task


def split_counts(total, parts, rng, spread=0.5):
    """`total` split into `parts` positive counts, each around total/parts (+/- spread)."""
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


def generate(n, units, seed, groups, soc):
    rng = random.Random(seed)
    units = max(1, min(units, n))
    per_unit = split_counts(n, units, rng, spread=0.6)
    # Functions: about one per 28 units, spread over the 6 key areas.
    functions = max(len(KEY_AREAS), round(units / 28))
    functions_per_area = split_counts(functions, len(KEY_AREAS), rng, spread=0.3)
    units_per_function = split_counts(units, functions, rng, spread=0.4)

    order = list(range(len(groups)))
    rng.shuffle(order)
    group_cursor = 0

    def next_group():
        nonlocal group_cursor
        g = groups[order[group_cursor % len(order)]]
        group_cursor += 1
        return g

    items = []
    unit_codes = []
    unit_no = 0
    function_no = 0
    for a, (area_title, area_text) in enumerate(KEY_AREAS):
        area_code = chr(ord("A") + a)
        area = {"type": "key-area", "code": area_code, "title": area_title, "text": area_text,
                "children": []}
        items.append(area)
        for f in range(functions_per_area[a]):
            occupation, tasks = next_group()
            function = {"type": "function", "code": f"{area_code}.{f + 1}",
                        "title": short_title(tasks[0], 7),
                        "text": f"Work activities typical of {occupation.lower()}: "
                                f"{lower_first(tasks[0])}.",
                        "children": []}
            area["children"].append(function)
            for _ in range(units_per_function[function_no]):
                if unit_no >= units:
                    break
                function["children"].append(
                    make_unit(rng, unit_no, per_unit[unit_no], next_group, soc))
                unit_codes.append(f"U{unit_no + 1:04d}")
                unit_no += 1
            function_no += 1
    # Any units the rounding left over go under the last function.
    while unit_no < units:
        function["children"].append(make_unit(rng, unit_no, per_unit[unit_no], next_group, soc))
        unit_codes.append(f"U{unit_no + 1:04d}")
        unit_no += 1

    associations = []
    for i in range(0, len(unit_codes) - 1, 2):
        other = rng.randrange(len(unit_codes))
        if other != i:
            associations.append({"type": "isRelatedTo", "origin": {"code": unit_codes[i]},
                                 "destination": {"code": unit_codes[other]}})

    framework = {
        "code": "BENCH",
        "edition": str(n),
        "title": f"Benchmark suite of {n:,} statements",
        "status": "approved",
        "publisher": "OpenNOS benchmark generator",
        "keyPurpose": "To plan, carry out and improve work activities safely, effectively and to "
                      "the standards expected by customers, employers and regulators.",
        "description": "Generated for benchmarking OpenNOS. Statement text is drawn from O*NET "
                       "task statements (O*NET 29.3 Database by the U.S. Department of Labor, "
                       "Employment and Training Administration, CC BY 4.0) when available. Not a "
                       "real standard.",
        "language": "en",
        "licence": "CC-BY-4.0",
        "published": "2025-01-15",
        "review": "2030-01-15",
    }
    return {"opennos": "framework/1", "framework": framework, "items": items,
            "associations": associations}


def make_unit(rng, unit_no, statements, next_group, soc):
    code = f"U{unit_no + 1:04d}"
    occupation, tasks = next_group()
    # A unit draws on one occupation's tasks first, topped up from the next ones when it needs
    # more (units are larger than O*NET's task lists).
    pool = list(tasks)
    rng.shuffle(pool)
    while len(pool) < statements:
        more = list(next_group()[1])
        rng.shuffle(more)
        pool.extend(more)
    pcs = max(1, round(statements * rng.uniform(0.38, 0.52)))
    behaviours = max(0, round(statements * rng.uniform(0.10, 0.20)))
    knowledge = statements - pcs - behaviours
    if knowledge < 0:
        pcs, behaviours, knowledge = statements, 0, 0
    developer, developer_code = rng.choice(DEVELOPERS)
    title = short_title(tasks[0])
    keywords = sorted({w.lower().strip("'") for w in re.findall(r"[A-Za-z']{5,}", title)})[:6]
    year = rng.randint(2015, 2024)
    unit = {
        "type": "unit", "code": code, "title": title,
        "text": f"This standard is about how to {lower_first(tasks[0])}.",
        "urn": f"{developer_code}BM{unit_no + 1:04d}",
        "overview": " ".join([
            f"This standard is about the work of {occupation.lower()}.",
            f"It covers how you {lower_first(tasks[0])}, {lower_first(tasks[1 % len(tasks)])}"
            f" and {lower_first(tasks[2 % len(tasks)])}.",
            "It is for anyone who carries out these activities as part of their job role, "
            "whether employed or self-employed."]),
        "version": rng.randint(1, 4),
        "status": "original",
        "developedBy": developer,
        "approved": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "review": f"{year + 5}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "validity": "current" if rng.random() < 0.9 else "legacy",
        "category": rng.choice(CATEGORIES),
        "keywords": keywords or [occupation.split()[0].lower()],
        "occupations": sorted(set(rng.sample(soc, rng.randint(1, 4)))),
        "children": [],
    }
    if rng.random() < 0.1:
        unit["status"] = "tailored"
        unit["originalUrn"] = f"{developer_code}X{unit_no + 1:04d}"
    children = unit["children"]
    k = 0
    for i in range(pcs):
        children.append({"type": "performance-criterion", "code": f"{code}.P{i + 1}",
                         "text": pool[k % len(pool)]})
        k += 1
    for i in range(knowledge):
        opening = rng.choice(KNOWLEDGE_OPENINGS)
        children.append({"type": "knowledge", "code": f"{code}.K{i + 1}",
                         "text": opening.format(t=lower_first(pool[k % len(pool)]))})
        k += 1
    for i in range(behaviours):
        opening = rng.choice(BEHAVIOUR_OPENINGS)
        children.append({"type": "behaviour", "code": f"{code}.B{i + 1}",
                         "text": opening.format(t=lower_first(pool[k % len(pool)])) + "."})
        k += 1
    return unit


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("-n", "--statements", type=int, default=100_000)
    p.add_argument("--units", type=int, default=None, help="default: statements / 100")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--tasks", default=DEFAULT_TASKS, help="O*NET Task_Statements.csv")
    p.add_argument("--soc", default=DEFAULT_SOC, help="SOC 2020 soc_4d_condensed.txt")
    p.add_argument("-o", "--output", required=True)
    args = p.parse_args()
    if args.statements < 1:
        p.error("-n must be at least 1")

    rng = random.Random(args.seed)
    groups, source = task_groups(args.tasks, rng)
    soc = load_soc(args.soc, rng)
    units = args.units if args.units else max(1, round(args.statements / 100))
    doc = generate(args.statements, units, args.seed, groups, soc)

    tmp = args.output + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=2)
        f.write("\n")
    os.replace(tmp, args.output)
    count = {"units": 0, "statements": 0, "items": 0}

    def walk(items):
        for it in items:
            count["items"] += 1
            if it["type"] == "unit":
                count["units"] += 1
            elif it["type"] in ("performance-criterion", "knowledge", "behaviour"):
                count["statements"] += 1
            walk(it.get("children", []))

    walk(doc["items"])
    print(f"{args.output}: {count['statements']} statements, {count['units']} units, "
          f"{count['items']} items, {len(doc['associations'])} associations, "
          f"{os.path.getsize(args.output):,} bytes ({source})", file=sys.stderr)


if __name__ == "__main__":
    main()
