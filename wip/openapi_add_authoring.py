import json, sys
p = sys.argv[1]
d = json.load(open(p))
sec = [{"bearer": []}, {"session": []}]
R = lambda name: {"$ref": "#/components/responses/" + name}
S = lambda name: {"$ref": "#/components/schemas/" + name}
def ok(schema, status="200", etag=False, desc="OK"):
    r = {"description": desc, "headers": {"Cache-Control": {"$ref": "#/components/headers/Private"}},
         "content": {"application/json": {"schema": schema}}}
    if etag:
        r["headers"]["ETag"] = {"$ref": "#/components/headers/Revision"}
    return {status: r}
def body(schema, media="application/json"):
    return {"required": True, "content": {media: {"schema": schema}}}
def op(opid, summary, desc, responses, params=None, request=None, secured=True, tag="authoring"):
    o = {"operationId": opid, "tags": [tag], "summary": summary, "description": desc}
    if secured: o["security"] = sec
    if params: o["parameters"] = params
    if request: o["requestBody"] = request
    o["responses"] = responses
    return o
name = {"$ref": "#/components/parameters/FrameworkName"}
uuid = {"$ref": "#/components/parameters/ItemUuid"}
ifmatch = {"name": "If-Match", "in": "header", "required": True, "description": "The revision the change starts from, as the item's ETag gave it (\"3\").", "schema": {"type": "string"}}
errs = lambda *codes: {c: R({"400": "BadRequest", "401": "Unauthorized", "403": "Forbidden", "404": "NotFound", "409": "Conflict"}[c]) for c in codes}
comp = d["components"]
comp["headers"]["Revision"] = {"description": "The entity's revision number, quoted (\"3\"): send it back in If-Match.", "schema": {"type": "string"}}
comp["responses"]["PreconditionFailed"] = {"description": "The item was changed since the revision in If-Match: nothing was written. The body holds the current revision and item.", "headers": {"ETag": {"$ref": "#/components/headers/Revision"}}, "content": {"application/json": {"schema": S("Stale")}}}
comp["responses"]["PreconditionRequired"] = {"description": "If-Match is missing: send the revision the change starts from.", "content": {"application/json": {"schema": S("Error")}}}
sch = comp["schemas"]
sch["DraftRecord"] = {"type": "object", "required": ["uuid", "code", "edition", "title", "status", "revision"], "properties": {
    "uuid": {"type": "string"}, "code": {"type": "string"}, "edition": {"type": "string"}, "title": {"type": "string"},
    "status": S("FrameworkStatus"), "revision": {"type": "integer"}, "previousEdition": {"type": "string"},
    "keyPurpose": {"type": "string"}, "units": {"type": "integer"}, "statements": {"type": "integer"}}}
sch["DraftList"] = {"type": "object", "required": ["drafts"], "properties": {"drafts": {"type": "array", "items": S("DraftRecord")}}}
sch["AuthoredItem"] = {"type": "object", "required": ["uuid", "type", "framework", "parent", "position", "revision"], "properties": {
    "uuid": {"type": "string"}, "type": S("ItemType"), "code": {"type": "string"}, "title": {"type": "string"}, "text": {"type": "string"},
    "framework": {"type": "string"}, "parent": {"type": "string", "nullable": True}, "position": {"type": "integer"}, "revision": {"type": "integer"}}}
sch["Stale"] = {"type": "object", "required": ["error", "revision", "current"], "properties": {"error": {"type": "object"}, "revision": {"type": "integer"}, "current": {"type": "object"}}}
sch["Finding"] = {"type": "object", "required": ["check", "severity", "field", "message", "item"], "properties": {
    "check": {"type": "string"}, "severity": {"type": "string", "enum": ["error", "warning"]}, "field": {"type": "string"},
    "message": {"type": "string"}, "item": {"type": "string", "nullable": True}}}
sch["Checks"] = {"type": "object", "required": ["framework", "errors", "warnings", "findings"], "properties": {
    "framework": {"type": "string"}, "errors": {"type": "integer"}, "warnings": {"type": "integer"}, "findings": {"type": "array", "items": S("Finding")}}}
sch["RevisionBrief"] = {"type": "object", "required": ["number", "author", "at", "reason", "created", "removed"], "properties": {
    "number": {"type": "integer"}, "author": {"type": "string"}, "at": {"type": "string"}, "reason": {"type": "string"},
    "created": {"type": "boolean"}, "removed": {"type": "boolean"}}}
sch["Revisions"] = {"type": "object", "required": ["item", "revision", "revisions"], "properties": {
    "item": {"type": "string"}, "revision": {"type": "integer"}, "revisions": {"type": "array", "items": S("RevisionBrief")}}}
sch["DiffPiece"] = {"type": "object", "required": ["kind", "text"], "properties": {"kind": {"type": "string", "enum": ["same", "removed", "added"]}, "text": {"type": "string"}}}
sch["Diff"] = {"type": "object", "required": ["item", "from", "to", "fields"], "properties": {
    "item": {"type": "string"}, "from": S("RevisionBrief"), "to": S("RevisionBrief"),
    "fields": {"type": "array", "items": {"type": "object", "required": ["field", "changed", "pieces"], "properties": {
        "field": {"type": "string"}, "changed": {"type": "boolean"}, "pieces": {"type": "array", "items": S("DiffPiece")}}}}}}
sch["Mapping"] = {"type": "object", "required": ["from", "type", "to"], "properties": {"from": {"type": "string"}, "type": {"type": "string"}, "to": {"type": "array", "items": {"type": "string"}}}}
sch["PublishReport"] = {"type": "object", "required": ["framework", "as", "carried", "revised", "added", "legacy"], "properties": {
    "framework": S("DraftRecord"), "as": {"type": "string", "enum": ["edition", "unit-versions"]}, "carried": {"type": "integer"},
    "revised": {"type": "integer"}, "added": {"type": "integer"}, "legacy": {"type": "integer"}}}
sch["ReviewDates"] = {"type": "object", "required": ["months", "until", "publisher", "units"], "properties": {
    "months": {"type": "integer"}, "until": {"type": "string"}, "publisher": {"type": "string"},
    "units": {"type": "array", "items": {"type": "object", "required": ["uuid", "urn", "code", "title", "review", "overdue", "framework"], "properties": {
        "uuid": {"type": "string"}, "urn": {"type": "string"}, "code": {"type": "string"}, "title": {"type": "string"},
        "review": {"type": "string"}, "overdue": {"type": "boolean"}, "framework": {"type": "object"}}}}}}
P = d["paths"]
P["/drafts"] = {"get": op("listDrafts", "List drafts", "The drafts of the caller's organisations that they may read (read-drafts).", {**ok(S("DraftList")), **errs("401", "403")})}
P["/frameworks"]["post"] = op("createDraft", "Create a draft suite", "An empty draft owned by the caller's organisation (edit-drafts).",
    {**ok(S("DraftRecord"), "201", desc="Created"), **errs("400", "401", "403", "409")},
    request=body({"type": "object", "required": ["code", "edition", "title"], "properties": {"code": {"type": "string"}, "edition": {"type": "string"}, "title": {"type": "string"}, "keyPurpose": {"type": "string"}, "reason": {"type": "string"}}}))
P["/frameworks/{name}"]["patch"] = op("patchDraft", "Change a draft's record", "A JSON merge patch (RFC 7386) of the draft's record; code, uuid and status cannot change.",
    {**ok(S("DraftRecord"), etag=True), **errs("400", "401", "403", "404", "409"), "412": R("PreconditionFailed"), "428": R("PreconditionRequired")},
    params=[name, ifmatch], request=body({"type": "object"}, "application/merge-patch+json"))
P["/frameworks/{name}/editions"]["post"] = op("createDraftEdition", "Start a draft edition", "A draft copy of the suite with a new edition, mapped unit by unit (replacedBy) to it.",
    {**ok(S("DraftRecord"), "201", desc="Created"), **errs("400", "401", "403", "404", "409")}, params=[name],
    request=body({"type": "object", "required": ["edition"], "properties": {"edition": {"type": "string"}, "reason": {"type": "string"}}}))
P["/frameworks/{name}/items"] = {"post": op("addItem", "Add an item to a draft", "A key area, function, unit or statement where its type belongs; or, with importUnit, a tailored copy of a unit of another suite.",
    {**ok(S("AuthoredItem"), "201", etag=True, desc="Created"), **errs("400", "401", "403", "404", "409")}, params=[name],
    request=body({"type": "object", "properties": {"type": S("ItemType"), "parent": {"type": "string"}, "position": {"type": "integer"}, "code": {"type": "string"}, "title": {"type": "string"}, "text": {"type": "string"}, "urn": {"type": "string"}, "importUnit": {"type": "string"}, "reason": {"type": "string"}}}))}
P["/frameworks/{name}/checks"] = {"get": op("checkDraft", "Quality checks of a framework", "Every finding of the quality checks (docs/quality-checks.md). Drafts need read-drafts.",
    {**ok(S("Checks")), **errs("401", "403", "404")}, params=[name])}
P["/frameworks/{name}/mappings"] = {"put": op("setMappings", "Set a unit's mappings", "The replacedBy or isRelatedTo mappings from one unit of the previous edition to units of the draft become exactly `to`.",
    {**ok(S("Mapping")), **errs("400", "401", "403", "404", "409")}, params=[name], request=body(S("Mapping")))}
P["/frameworks/{name}/publish"] = {"post": op("publishDraft", "Publish a draft", "As a new edition, or as the next version of each revised unit (publish). Refused (400) while a quality check of severity error fails.",
    {**ok(S("PublishReport")), **errs("400", "401", "403", "404", "409")}, params=[name],
    request={"required": False, "content": {"application/json": {"schema": {"type": "object", "properties": {"as": {"type": "string", "enum": ["edition", "unit-versions"]}, "reason": {"type": "string"}}}}}})}
P["/items/{uuid}"]["patch"] = op("patchItem", "Change an item of a draft", "A JSON merge patch (RFC 7386) of the item's fields as the native format spells them. If-Match must name the revision the change starts from: a stale one is answered 412 with the current revision.",
    {**ok(S("AuthoredItem"), etag=True), **errs("400", "401", "403", "404", "409"), "412": R("PreconditionFailed"), "415": R("BadRequest"), "428": R("PreconditionRequired")},
    params=[uuid, ifmatch], request=body({"type": "object"}, "application/merge-patch+json"))
P["/items/{uuid}"]["delete"] = op("removeItem", "Remove an item of a draft", "The item and everything under it, and the draft's associations that name them.",
    {"204": {"description": "Removed"}, **errs("400", "401", "403", "404", "409")}, params=[uuid])
P["/items/{uuid}/move"] = {"post": op("moveItem", "Move an item of a draft", "Under another parent and/or to another position among its siblings.",
    {**ok(S("AuthoredItem"), etag=True), **errs("400", "401", "403", "404", "409")}, params=[uuid],
    request=body({"type": "object", "properties": {"parent": {"type": "string"}, "position": {"type": "integer"}, "reason": {"type": "string"}}}))}
P["/items/{uuid}/restore"] = {"post": op("restoreRevision", "Restore a revision", "Sets the item back to an earlier revision's content, as a new revision.",
    {**ok(S("AuthoredItem"), etag=True), **errs("400", "401", "403", "404", "409")}, params=[uuid],
    request=body({"type": "object", "required": ["revision"], "properties": {"revision": {"type": "integer"}, "reason": {"type": "string"}}}))}
P["/items/{uuid}/revisions"] = {"get": op("listRevisions", "An item's revisions", "Oldest first: who, when, why. Public for published items; drafts need read-drafts.",
    {**ok(S("Revisions")), **errs("400", "401", "404")}, params=[uuid], secured=False)}
P["/items/{uuid}/diff"] = {"get": op("diffRevisions", "Compare two revisions", "A word-level diff, field by field, between revisions `from` and `to` (default: the current one).",
    {**ok(S("Diff")), **errs("400", "401", "404")}, params=[uuid,
      {"name": "from", "in": "query", "required": True, "schema": {"type": "integer"}},
      {"name": "to", "in": "query", "required": False, "schema": {"type": "integer"}}], secured=False)}
P["/review-dates"] = {"get": op("reviewDates", "Units due for review", "Units of suites in force whose indicative review date is within the next `months` months (overdue included), soonest first.",
    {**ok(S("ReviewDates")), **errs("400")}, params=[
      {"name": "months", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1, "maximum": 120}},
      {"name": "publisher", "in": "query", "required": False, "schema": {"type": "string"}}], secured=False)}
d["tags"].append({"name": "authoring", "description": "Drafts, editions, revisions and publishing (docs/authoring.md)."})
json.dump(d, open(p, "w"), indent=2, ensure_ascii=False)
open(p, "a").write("\n")
