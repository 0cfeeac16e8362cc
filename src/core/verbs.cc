#include <string_view>
#include <vector>

namespace opennos {

// Verbs that open performance criteria, in the base form NOS writes them ("Identify the
// risks..."). A criterion whose first word is none of these (compared by stem) gets a warning;
// a missing verb here gives a false warning that an editor can ignore, never a lost edit.
const std::vector<std::string_view>& CriterionVerbs() {
  static const std::vector<std::string_view> kVerbs{
      "accept", "access", "acknowledge", "act", "adapt", "add", "address", "adhere", "adjust",
      "administer", "adopt", "advertise", "advise", "advocate", "agree", "align", "allocate",
      "allow", "amend", "analyse", "analyze", "anticipate", "apply", "appoint", "appraise",
      "approve", "arrange", "articulate", "ask", "assemble", "assess", "assign", "assist",
      "attach", "attend", "audit", "authorise", "authorize", "avoid", "balance", "be", "begin",
      "benchmark", "brief", "bring", "break", "budget", "build", "calculate", "calibrate", "call",
      "carry", "challenge", "chair", "change", "check", "choose", "clarify", "classify", "clean",
      "clear", "close", "coach", "collaborate", "collate", "collect", "combine", "commission",
      "communicate", "compare", "compile", "complete", "comply", "conduct", "configure",
      "confirm", "connect", "consider", "construct", "consult", "contact", "contribute",
      "control", "convey", "cooperate", "co-operate", "coordinate", "co-ordinate", "correct",
      "cost", "create", "cut", "deal", "debrief", "decide", "define", "delegate", "deliver",
      "demonstrate", "deploy", "describe", "design", "determine", "develop", "diagnose",
      "direct", "discuss", "dispose", "disseminate", "distribute", "document", "draft", "draw",
      "drive", "edit", "educate", "eliminate", "embed", "empower", "enable", "encourage",
      "engage", "enhance", "ensure", "enter", "escalate", "establish", "estimate", "evaluate",
      "examine", "exchange", "execute", "explain", "explore", "express", "extract",
      "facilitate", "feed", "file", "fill", "finalise", "find", "fit", "follow", "forecast",
      "formulate", "foster", "gain", "gather", "generate", "give", "guide", "handle", "help",
      "highlight", "hold", "identify", "implement", "improve", "include", "incorporate",
      "induct", "influence", "inform", "initiate", "inspect", "install", "instruct",
      "integrate", "interpret", "intervene", "interview", "introduce", "investigate", "invite",
      "involve", "issue", "judge", "justify", "keep", "label", "lead", "learn", "liaise",
      "lift", "limit", "link", "listen", "load", "locate", "log", "look", "maintain", "make",
      "manage", "map", "market", "measure", "mediate", "meet", "mentor", "minimise", "mitigate",
      "model", "modify", "monitor", "motivate", "move", "negotiate", "note", "notice",
      "notify", "observe", "obtain", "offer", "operate", "order", "organise", "organize",
      "oversee", "pack", "participate", "pass", "perform", "persuade", "pick", "place", "plan",
      "position", "practise", "practice", "praise", "predict", "prepare", "present", "preserve",
      "prevent", "price", "prioritise", "prioritize", "probe", "process", "procure", "produce",
      "programme", "promote", "prompt", "propose", "protect", "provide", "publicise", "publish",
      "purchase", "put", "question", "raise", "reach", "read", "recognise", "recognize",
      "recommend", "reconcile", "record", "recruit", "reduce", "refer", "reflect", "refine",
      "register", "reinforce", "reject", "relate", "release", "remove", "repair", "replace",
      "report", "represent", "request", "research", "resolve", "respect", "respond", "restore",
      "retain", "return", "review", "revise", "reward", "run", "safeguard", "schedule",
      "screen", "secure", "seek", "select", "sell", "send", "separate", "serve", "service",
      "set", "settle", "share", "shortlist", "show", "sign", "signpost", "solve", "sort",
      "source", "specify", "sponsor", "start", "state", "stop", "store", "structure", "submit",
      "summarise", "summarize", "supervise", "supply", "support", "take", "talk", "teach",
      "tell", "test", "track", "train", "transfer", "translate", "transport", "treat", "trial",
      "understand", "undertake", "update", "upload", "use", "validate", "value", "verify",
      "visit", "weigh", "welcome", "work", "write"};
  return kVerbs;
}

}  // namespace opennos
