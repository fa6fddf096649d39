import Foundation

/// Seeded synthetic e-mails and call transcripts with planted facts and their truth, for
/// measuring the conversation trackers and the next-step patterns (`baton generate --conversations`).
///
/// Per lead: one e-mail (`<lead>.eml`: quoted-printable UTF-8, with a signature and a quoted
/// earlier message, both of which must be stripped) and one call (`<lead>-call.vtt`: WebVTT with
/// `<v Name>` voices, the rep and the prospect taking turns). Facts are planted as whole sentences
/// from templates, each in the e-mail or the call at random:
/// - a competitor named (probability 0.5), one of `Acme CRM`, `Globex`, `Initech`, `Umbrella Sales Cloud`;
/// - a budget stated (0.6), a security review (0.4), a pain (0.6), an objection (0.3);
/// - a next step with a date expression (0.7), said by the rep.
/// Every file also holds distractors, sentences with near-miss words that no tracker may match
/// (`Acmetech`, `budgetary`, `insecurity`, `globally`) and dated sentences that are not next steps
/// ("We met on Friday."), and the quoted earlier message names a competitor that is not planted
/// (it was not said in this message). The truth lists every planted sentence with its tracker (the
/// playbook's tracker names) or as a next step with its date expression.
///
/// What this measures, and what not: that the parsers, the stripping, the stemmer and the patterns
/// find exactly the planted template sentences among templated distractors. It says nothing about
/// real conversations, whose phrasing is open-ended.
package enum SyntheticConversations {
    /// One planted sentence.
    package struct Planted: Sendable, Codable, Equatable {
        /// The file it is in (`L0001.eml`).
        package var file: String
        package var sentence: String
        /// The playbook tracker that should hit it, or nil for a next step.
        package var tracker: String?
        /// For a next step: the date expression planted.
        package var when: String?
    }

    package struct Lead: Sendable, Codable, Equatable {
        package var leadID: String
        package var email: String
        package var files: [String]
        enum CodingKeys: String, CodingKey {
            case email, files
            case leadID = "lead_id"
        }
    }

    package struct Truth: Sendable, Codable, Equatable {
        package var seed: UInt64
        package var leads: [Lead]
        package var planted: [Planted]
        /// Trackers whose every hit in the corpus must be a planted sentence (precision is measured for these).
        package var measuredTrackers: [String]
        enum CodingKeys: String, CodingKey {
            case seed, leads, planted
            case measuredTrackers = "measured_trackers"
        }
    }

    /// A generated corpus: file name → text, and the truth.
    package struct Corpus: Sendable {
        package var files: [(name: String, text: String)]
        package var truth: Truth
    }

    static let firstNames = ["Dana", "Priya", "Jonas", "Mei", "Carlos", "Amara", "Lukas", "Sofia", "Kwame", "Elena"]
    static let lastNames = ["Reyes", "Shah", "Berg", "Chen", "Ortiz", "Okafor", "Weber", "Rossi", "Mensah", "Novak"]
    static let companies = ["Northwind", "Contoso", "Fabrikam", "Tailspin", "Litware", "Proseware", "Wingtip", "Lucerne"]
    static let reps = [("Avery Stone", "avery@baton.example"), ("Mila Weber", "mila@baton.example"), ("Kenji Sato", "kenji@baton.example")]
    static let competitors = ["Acme CRM", "Globex", "Initech", "Umbrella Sales Cloud"]
    static let whens = ["next Tuesday", "Friday", "15 March", "the 14th", "end of the month", "in two weeks", "tomorrow", "next week"]

    package static func generate(leads count: Int, seed: UInt64) -> Corpus {
        var random = Xoshiro256StarStar(seed: seed, stream: 0xC0_4E_55)
        var files: [(String, String)] = []
        var planted: [Planted] = []
        var leads: [Lead] = []
        func pick<T>(_ items: [T]) -> T { items[Int(random.next() % UInt64(items.count))] }
        func chance(_ p: Double) -> Bool { Double(random.next() >> 11) / Double(1 << 53) < p }
        for index in 1...max(1, count) {
            let leadID = String(format: "L%04d", index)
            let first = pick(firstNames)
            let last = pick(lastNames)
            let company = pick(companies)
            let email = "\(first.lowercased()).\(last.lowercased())\(index)@\(company.lowercased()).example"
            let (repName, repEmail) = pick(reps)
            let prospect = "\(first) \(last)"
            let emlName = "\(leadID).eml"
            let callName = "\(leadID)-call.vtt"
            // (sentence, tracker, when, said by the rep)
            var facts: [(String, String?, String?, Bool)] = []
            if chance(0.5) {
                let competitor = pick(competitors)
                facts.append(
                    (
                        pick([
                            "We also looked at \(competitor) last year.", "\(competitor) quoted us for the same routing.",
                            "Our sister team runs \(competitor) today.",
                        ]), "competitors", nil, false
                    ))
            }
            if chance(0.6) {
                let amount = 20 + Int(random.next() % 80)
                facts.append(
                    (
                        pick([
                            "Our budget is around \(amount)k for this year.", "We have \(amount)k budgeted for this project.",
                            "The budget for this is \(amount)k.",
                        ]), "budget", nil, false
                    ))
            }
            if chance(0.4) {
                facts.append(
                    (
                        pick([
                            "Our IT team will run a security review first.", "We will need your SOC 2 report.",
                            "Procurement sends a security questionnaire to every vendor.",
                        ]), "security_review", nil, false
                    ))
            }
            if chance(0.6) {
                facts.append(
                    (
                        pick([
                            "Our reps lose leads every single week.", "Routing is done by hand every morning.",
                            "Hot leads go cold while they wait.",
                        ]), "pains", nil, false
                    ))
            }
            if chance(0.3) {
                facts.append(
                    (
                        pick(["Honestly, the offer feels too expensive for us.", "This is not a priority for the board right now."]),
                        "objections", nil, false
                    ))
            }
            if chance(0.7) {
                let when = pick(whens)
                facts.append(
                    (
                        pick([
                            "I'll send the proposal \(when == "Friday" ? "by Friday" : when).", "Let's meet \(when) with your team lead.",
                            "Could we schedule a demo \(when)?", "We will follow up \(when) with the pricing sheet.",
                        ]), nil, when, true
                    ))
            }
            let distractors = [
                "We acquired a small firm called Acmetech in spring.", "The budgetary cycle here is annual.",
                "Our insecurity about data is old news.",
                "We operate globally with three offices.", "We met on Friday at the conference.", "The weather was great in March.",
            ]
            var mail: [String] = []
            var call: [(String, Bool)] = []
            for fact in facts {
                let sentence = fact.0
                if chance(0.5) {
                    mail.append(sentence)
                    planted.append(Planted(file: emlName, sentence: sentence, tracker: fact.1, when: fact.2))
                } else {
                    call.append((sentence, fact.3))
                    planted.append(Planted(file: callName, sentence: sentence, tracker: fact.1, when: fact.2))
                }
            }
            mail.append(pick(distractors))
            call.append((pick(distractors), false))
            // The e-mail: from the prospect (a rep's next step is said in the call or by the rep's reply).
            var body = "Hi \(repName.split(separator: " ")[0]),\n\nThanks for your time.\n\n"
            for sentence in mail {
                body +=
                    sentence + " This line is long enough to be wrapped by the quoted-printable encoder when it goes past seventy-six characters.\n\n"
            }
            body += "Best,\n\(first)\n\n-- \n\(prospect) | \(company)\nWe use Globex for invoicing, not sales.\n\n"
            body +=
                "On Mon, 6 Oct 2025 at 10:00, \(repName) <\(repEmail)> wrote:\n> Thanks for the call. Do you still use Initech?\n> Our budget options are attached.\n"
            let encoded = quotedPrintable(body)
            let mailText = """
                From: \(prospect) <\(email)>\r
                To: \(repName) <\(repEmail)>\r
                Date: Tue, \(7 + index % 20) Oct 2025 1\(index % 10):00:00 +0000\r
                Subject: Re: Follow-up\r
                Message-ID: <\(leadID.lowercased())@\(company.lowercased()).example>\r
                MIME-Version: 1.0\r
                Content-Type: text/plain; charset=utf-8\r
                Content-Transfer-Encoding: quoted-printable\r
                \r
                \(encoded.replacingOccurrences(of: "\n", with: "\r\n"))
                """
            files.append((emlName, mailText))
            // The call: the rep opens, the prospect answers; planted sentences go to whoever says them.
            var vtt = "WEBVTT\n\nNOTE synthetic call for \(leadID), seed \(seed)\n\n"
            var clock = 0
            var turns: [(String, String)] = [(repName, "Thanks for joining today. How do you route leads now?")]
            turns.append((prospect, "We route leads with a shared list."))
            for (sentence, byRep) in call { turns.append((byRep ? repName : prospect, sentence)) }
            turns.append((repName, "Thanks, that helps."))
            for (speaker, text) in turns {
                let length = 2_000 + Int(random.next() % 6_000)
                vtt += "\(timestamp(clock)) --> \(timestamp(clock + length))\n<v \(speaker)>\(text)\n\n"
                clock += length + Int(random.next() % 1_500)
            }
            files.append((callName, vtt))
            leads.append(Lead(leadID: leadID, email: email, files: [emlName, callName]))
        }
        let truth = Truth(
            seed: seed, leads: leads, planted: planted, measuredTrackers: ["competitors", "budget", "security_review", "pains", "objections"])
        return Corpus(files: files, truth: truth)
    }

    static func timestamp(_ milliseconds: Int) -> String {
        let seconds = milliseconds / 1000
        return String(format: "%02d:%02d:%02d.%03d", seconds / 3600, seconds / 60 % 60, seconds % 60, milliseconds % 1000)
    }

    /// RFC 2045 §6.7 quoted-printable of UTF-8 text, lines of at most 76 characters (soft breaks).
    static func quotedPrintable(_ text: String) -> String {
        var lines: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var out = ""
            var current = ""
            for byte in line.utf8 {
                let piece: String
                if (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "=")) || byte == 0x20 {
                    piece = String(UnicodeScalar(byte))
                } else {
                    piece = String(format: "=%02X", byte)
                }
                if current.count + piece.count > 75 {
                    out += current + "=\n"
                    current = ""
                }
                current += piece
            }
            if current.hasSuffix(" ") { current = String(current.dropLast()) + "=20" }
            lines.append(out + current)
        }
        return lines.joined(separator: "\n")
    }
}
