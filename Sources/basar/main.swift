import Foundation

/// `basar`: one executable for serving and administration (API.md §11).
/// Exit codes: 0 done, 64 bad usage or value, 65 a named object that does not exist, 1 anything else.
let arguments = Array(CommandLine.arguments.dropFirst())
let code = await CLI.run(arguments)
exit(code)
