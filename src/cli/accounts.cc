// The account commands: org add|list, user add|role|password|token.

#include <unistd.h>

#include <iostream>
#include <string>

#include "app/accounts.h"
#include "cli/commands.h"

namespace opennos::cli {
namespace {

// The first line of standard input, without its line ending. Invalid when there is none.
Result<std::string> ReadPasswordLine() {
  if (isatty(STDIN_FILENO)) std::cerr << "Password: " << std::flush;
  std::string line;
  if (!std::getline(std::cin, line)) {
    return Status::Invalid("--password-stdin: no password on standard input");
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

Result<Role> RoleNamed(const std::string& name) {
  auto role = ParseRole(name);
  if (!role) {
    return Status::Invalid("unknown role \"" + name + "\" (admin, editor, reviewer or viewer)");
  }
  return *role;
}

}  // namespace

int OrgAdd(const Globals& g, const std::string& name, const std::string& kind,
           const std::string& author) {
  auto parsed = ParseOrganisationKind(kind);
  if (!parsed) {
    return Fail(Status::Invalid("unknown kind \"" + kind +
                                "\" (standards-body, employer, awarding-body or "
                                "training-provider)"));
  }
  auto store = OpenStore(g);
  if (!store.ok()) return Fail(store.status());
  auto org = AddOrganisation((*store)->Accounts(), name, *parsed, CommandLineActor(author),
                             NowSeconds());
  if (!org.ok()) return Fail(org.status());
  std::cout << "organisation added: " << org->name << " (" << OrganisationKindName(org->kind)
            << ", " << org->id << ")\n";
  return 0;
}

int OrgList(const Globals& g) {
  auto store = OpenStore(g);
  if (!store.ok()) return Fail(store.status());
  AccountStore& accounts = (*store)->Accounts();
  auto orgs = accounts.ListOrganisations();
  if (!orgs.ok()) return Fail(orgs.status());
  if (orgs->empty()) {
    std::cout << "no organisations yet (add one with `opennos org add NAME --kind KIND`)\n";
    return 0;
  }
  for (const Organisation& o : *orgs) {
    auto members = accounts.Members(o.id);
    if (!members.ok()) return Fail(members.status());
    std::cout << o.id << "  " << OrganisationKindName(o.kind) << "  " << members->size()
              << (members->size() == 1 ? " member  " : " members  ") << o.name << "\n";
  }
  return 0;
}

int UserAdd(const Globals& g, const std::string& email, const std::string& organisation,
            const std::string& role, bool password_stdin, const std::string& author) {
  auto parsed = RoleNamed(role);
  if (!parsed.ok()) return Fail(parsed.status());
  std::string password;
  if (password_stdin) {
    auto line = ReadPasswordLine();
    if (!line.ok()) return Fail(line.status());
    password = std::move(*line);
    if (Status s = CheckPassword(password); !s.ok()) return Fail(s);
  }
  auto store = OpenStore(g);
  if (!store.ok()) return Fail(store.status());
  auto user = AddUser((*store)->Accounts(), email, organisation, *parsed, password,
                      CommandLineActor(author), NowSeconds());
  if (!user.ok()) return Fail(user.status());
  std::cout << "user " << user->email << ": " << RoleName(*parsed) << " of " << organisation
            << (user->password_hash.empty() ? " (no password yet: `opennos user password`)"
                                            : "")
            << "\n";
  return 0;
}

int UserRole(const Globals& g, const std::string& email, const std::string& role,
             const std::string& organisation, const std::string& author) {
  auto parsed = RoleNamed(role);
  if (!parsed.ok()) return Fail(parsed.status());
  auto store = OpenStore(g);
  if (!store.ok()) return Fail(store.status());
  if (Status s = SetRole((*store)->Accounts(), email, *parsed, organisation,
                         CommandLineActor(author), NowSeconds());
      !s.ok()) {
    return Fail(s);
  }
  std::cout << "user " << NormaliseEmail(email) << ": now " << RoleName(*parsed) << "\n";
  return 0;
}

int UserPassword(const Globals& g, const std::string& email, const std::string& author) {
  auto line = ReadPasswordLine();
  if (!line.ok()) return Fail(line.status());
  auto store = OpenStore(g);
  if (!store.ok()) return Fail(store.status());
  AccountStore& accounts = (*store)->Accounts();
  auto user = accounts.FindUserByEmail(NormaliseEmail(email));
  if (!user.ok()) return Fail(user.status());
  if (Status s = ChangePassword(accounts, user->id, *line, CommandLineActor(author),
                                NowSeconds());
      !s.ok()) {
    return Fail(s);
  }
  std::cout << "password set for " << user->email << "; their sessions have ended\n";
  return 0;
}

int UserToken(const Globals& g, const std::string& email, const std::string& name,
              const std::string& author) {
  auto store = OpenStore(g);
  if (!store.ok()) return Fail(store.status());
  AccountStore& accounts = (*store)->Accounts();
  auto user = accounts.FindUserByEmail(NormaliseEmail(email));
  if (!user.ok()) return Fail(user.status());
  auto issued = IssueToken(accounts, user->id, name, CommandLineActor(author), NowSeconds());
  if (!issued.ok()) return Fail(issued.status());
  std::cerr << "opennos: a new API token for " << user->email << " (id " << issued->token.id
            << "); it is shown only now:\n";
  std::cout << issued->secret << "\n";
  return 0;
}

}  // namespace opennos::cli
