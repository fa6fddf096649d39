/// `"a", "b", "c"`: names listed in an error message, each in double quotes.
package func quoted(_ values: [String]) -> String {
    values.map { "\"\($0)\"" }.joined(separator: ", ")
}
