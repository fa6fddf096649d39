import Foundation

/// An event log file: JSONL (one ``InboundEvent`` JSON object per line; blank lines skipped) or
/// CSV (chosen by the `.csv` extension).
///
/// CSV columns (header required, any order, RFC 4180 quoting): `event_id`, `type`,
/// `occurred_at`, `lead_id`, and the type-specific keys of ``InboundEvent`` either as a `payload`
/// column holding a JSON object (e.g. `{"rep_id":"ana","channel":"call","outcome":"voicemail"}`,
/// empty meaning `{}`) or as columns of their own, as a CRM report exports them (`rep_id`, `code`,
/// `note`, `opportunity_id`, `amount`, `currency`, `stage`, `close_date`, `reason`, …; a lead
/// field as `fields.<name>`). An empty cell is an absent key; a column beats the same key in `payload`.
package enum EventLog {
    /// One line of a log: the event, or why it could not be read.
    package struct Entry: Sendable {
        /// 1-based line of the file where the event starts.
        package let line: Int
        package let event: Result<InboundEvent, EventLogProblem>
    }

    /// Reads every entry; a malformed line is an entry with a problem, not a thrown error.
    /// - Throws: ``EventLogError`` when the file cannot be read or a CSV header lacks a column.
    package static func read(url: URL) throws(EventLogError) -> [Entry] {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .unreadable(file: url.path, reason: (error as NSError).localizedDescription)
        }
        let text = try checkedText(data, file: url.lastPathComponent)
        return url.pathExtension.lowercased() == "csv" ? try csv(text, file: url.lastPathComponent) : jsonLines(text)
    }

    /// The log as text, refusing (with the line) bytes that are not UTF-8 and NUL bytes, which no
    /// event may hold (JSON escapes them; a CSV cell would carry one into an id or a field).
    static func checkedText(_ data: Data, file: String) throws(EventLogError) -> String {
        var line = 1
        var start = data.startIndex
        while start < data.endIndex {
            let end = data[start...].firstIndex(of: 0x0A) ?? data.endIndex
            let bytes = data[start..<end]
            if let nul = bytes.firstIndex(of: 0) { throw .badByte(file: file, line: line, column: nul - start + 1, problem: "a NUL byte") }
            if String(validating: bytes, as: UTF8.self) == nil {
                throw .badByte(file: file, line: line, column: nil, problem: "bytes that are not UTF-8")
            }
            line += 1
            start = end < data.endIndex ? end + 1 : end
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Parses JSONL text.
    package static func jsonLines(_ text: String) -> [Entry] {
        var entries: [Entry] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { continue }
            entries.append(Entry(line: index + 1, event: decode(Data(trimmed.utf8))))
        }
        return entries
    }

    static let csvColumns = ["event_id", "type", "occurred_at", "lead_id"]

    /// Parses CSV text (see the type's discussion).
    package static func csv(_ text: String, file: String) throws(EventLogError) -> [Entry] {
        let records = CSVRecords.parse(text)
        guard let header = records.first else { return [] }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        let missing = csvColumns.filter { !names.contains($0) }
        guard missing.isEmpty else { throw .missingColumns(file: file, columns: missing) }
        let index = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        var entries: [Entry] = []
        for record in records.dropFirst() {
            if record.fields.count == 1 && record.fields[0].trimmingCharacters(in: .whitespaces).isEmpty { continue }
            func value(_ column: String) -> String {
                guard let i = index[column], i < record.fields.count else { return "" }
                return record.fields[i]
            }
            var object: [String: Any] = [:]
            let payload = value("payload").trimmingCharacters(in: .whitespaces)
            if !payload.isEmpty {
                guard let parsed = try? JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any] else {
                    entries.append(
                        Entry(
                            line: record.line,
                            event: .failure(
                                EventLogProblem(
                                    eventID: value("event_id"), field: "payload",
                                    problem: "is not a JSON object; write the type-specific keys as {\"key\": value, …}"))))
                    continue
                }
                object = parsed
            }
            for column in ["event_id", "type", "occurred_at", "lead_id"] where !value(column).isEmpty {
                object[column] = value(column)
            }
            // Flat columns (a CRM report's export): text values; the decoder reads amounts and
            // dates from text as it does from JSON strings.
            for column in names where !["event_id", "type", "occurred_at", "lead_id", "payload"].contains(column) && !column.isEmpty {
                let cell = value(column)
                guard !cell.isEmpty else { continue }
                if column.hasPrefix("fields.") {
                    var fields = object["fields"] as? [String: Any] ?? [:]
                    fields[String(column.dropFirst("fields.".count))] = cell
                    object["fields"] = fields
                } else {
                    object[column] = cell
                }
            }
            guard let data = try? JSONSerialization.data(withJSONObject: object) else {
                entries.append(
                    Entry(
                        line: record.line,
                        event: .failure(
                            EventLogProblem(
                                eventID: value("event_id"), field: "payload",
                                problem: "cannot be read"))))
                continue
            }
            entries.append(Entry(line: record.line, event: decode(data)))
        }
        return entries
    }

    /// Decodes one JSON object, turning decoding failures into a problem naming the field.
    package static func decode(_ data: Data) -> Result<InboundEvent, EventLogProblem> {
        do {
            return .success(try JSONDecoder().decode(InboundEvent.self, from: data))
        } catch let error as DecodingError {
            let id = (try? JSONSerialization.jsonObject(with: data) as? [String: Any])?["event_id"] as? String
            switch error {
            case .dataCorrupted(let context):
                let field = context.codingPath.map(\.stringValue).joined(separator: ".")
                if field.isEmpty { return .failure(EventLogProblem(eventID: id, field: nil, problem: "is not a JSON object")) }
                return .failure(EventLogProblem(eventID: id, field: field, problem: context.debugDescription))
            case .keyNotFound(let key, _):
                return .failure(EventLogProblem(eventID: id, field: key.stringValue, problem: "is required"))
            case .typeMismatch(_, let context), .valueNotFound(_, let context):
                return .failure(
                    EventLogProblem(
                        eventID: id, field: context.codingPath.map(\.stringValue).joined(separator: "."),
                        problem: "has the wrong type"))
            @unknown default:
                return .failure(EventLogProblem(eventID: id, field: nil, problem: "\(error)"))
            }
        } catch {
            return .failure(EventLogProblem(eventID: nil, field: nil, problem: "\(error)"))
        }
    }
}

/// Why one log entry could not be read as an event.
package struct EventLogProblem: Error, Sendable, Hashable, CustomStringConvertible {
    package let eventID: String?
    package let field: String?
    package let problem: String

    package var description: String {
        let who = eventID.map { "event \($0): " } ?? ""
        let what = field.map { "field \($0) " } ?? "the line "
        return "\(who)\(what)\(problem)"
    }
}

/// An event log that cannot be read at all.
package enum EventLogError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(file: String, reason: String)
    case missingColumns(file: String, columns: [String])
    /// A NUL byte, or bytes that are not UTF-8, at `line` (and byte `column` of it when known).
    case badByte(file: String, line: Int, column: Int?, problem: String)

    package var description: String {
        switch self {
        case let .unreadable(file, reason):
            return "cannot read the event log \(file) (\(reason)). Check the path."
        case let .badByte(file, line, column, problem):
            return
                "\(file) line \(line)\(column.map { ", byte \($0)" } ?? ""): the event log holds \(problem). Save the log as UTF-8 text without NUL bytes (escape them in JSON strings as \\u0000 if they are data)."
        case let .missingColumns(file, columns):
            return
                "\(file): the CSV header lacks \(columns.joined(separator: ", ")). Event-log CSVs need event_id, type, occurred_at, lead_id and payload (JSON of the type-specific keys)."
        }
    }
}

/// Minimal RFC 4180 records: quoted fields may hold commas, doubled quotes and line breaks.
enum CSVRecords {
    struct Record {
        let line: Int
        let fields: [String]
    }

    static func parse(_ text: String) -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field = ""
        var quoted = false
        var line = 1, start = 1
        var iterator = Array(text.unicodeScalars).makeIterator()
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? {
            if let p = pending {
                pending = nil
                return p
            }
            return iterator.next()
        }
        var sawAny = false
        while let c = next() {
            sawAny = true
            if quoted {
                if c == "\"" {
                    if let n = next() {
                        if n == "\"" {
                            field.unicodeScalars.append("\"")
                        } else {
                            quoted = false
                            pending = n
                        }
                    } else {
                        quoted = false
                    }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"" where field.isEmpty: quoted = true
            case ",":
                fields.append(field)
                field = ""
            case "\r": break
            case "\n":
                fields.append(field)
                field = ""
                records.append(Record(line: start, fields: fields))
                fields = []
                line += 1
                start = line
                sawAny = false
            default: field.unicodeScalars.append(c)
            }
        }
        if sawAny || !fields.isEmpty || !field.isEmpty {
            fields.append(field)
            records.append(Record(line: start, fields: fields))
        }
        return records
    }
}
