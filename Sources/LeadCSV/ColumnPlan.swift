import BatonSupport

/// Where each header column's cells go: nowhere (skipped), or one slot of a typed store.
struct ColumnPlan {
    /// One entry per header column.
    let routes: [FieldRoute]
    /// The requests in order, each with its slot in the store of its kind.
    let requested: [(request: ColumnRequest, slot: Int)]
    let numericCount: Int
    let textCount: Int
    let rawCount: Int
    let boundsCount: Int

    init(header: [String], requests: [ColumnRequest], file: String) throws(LeadTableError) {
        var routes = [FieldRoute](repeating: FieldRoute(kind: .skip, slot: 0), count: header.count)
        var requested: [(ColumnRequest, Int)] = []
        var counts = (numeric: 0, text: 0, raw: 0, bounds: 0)
        for request in requests {
            let matches = header.indices.filter { header[$0] == request.name }
            guard let index = matches.first else {
                throw .unknownColumn(
                    file: file, column: request.name,
                    suggestions: NearestName.candidates(near: request.name, among: header), header: header)
            }
            guard matches.count == 1 else { throw .duplicateHeader(file: file, column: request.name) }
            let route: FieldRoute
            switch request {
            case .numeric:
                route = FieldRoute(kind: .numeric, slot: counts.numeric)
                counts.numeric += 1
            case .text:
                route = FieldRoute(kind: .text, slot: counts.text)
                counts.text += 1
            case .raw:
                route = FieldRoute(kind: .raw, slot: counts.raw)
                counts.raw += 1
            case .bounds:
                route = FieldRoute(kind: .bounds, slot: counts.bounds)
                counts.bounds += 1
            }
            routes[index] = route
            requested.append((request, route.slot))
        }
        self.routes = routes
        self.requested = requested
        numericCount = counts.numeric
        textCount = counts.text
        rawCount = counts.raw
        boundsCount = counts.bounds
    }
}

/// What one header column becomes.
struct FieldRoute {
    enum Kind: UInt8 { case skip, numeric, text, raw, bounds }
    var kind: Kind
    /// Index among the requested columns of the same kind.
    var slot: Int
}
