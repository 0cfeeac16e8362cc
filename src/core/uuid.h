#pragma once
// UUIDs as canonical lower-case text ("8-4-4-4-12").

#include <optional>
#include <string>
#include <string_view>

namespace opennos {

// A random (version 4) UUID. Thread-safe.
std::string NewUuid();
// A name-based (version 5, SHA-1) UUID of `name` in the namespace `ns` (itself a UUID), so the
// same name always gives the same UUID. `ns` must be a valid UUID.
std::string NameUuid(std::string_view ns, std::string_view name);
// The namespace under which OpenNOS derives the UUIDs a file leaves out.
std::string_view OpenNosNamespace();
// The canonical form of `text` if it is a UUID in any case, with or without braces or
// "urn:uuid:"; nullopt otherwise.
std::optional<std::string> CanonicalUuid(std::string_view text);

}  // namespace opennos
