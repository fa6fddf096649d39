/// One row of the Olist closed-deals file, as the single Olist reader reads it.
public struct OlistDeal: Sendable, Equatable {
    /// The MQL id the deal closes (trimmed).
    public var mqlID: String
    /// 1-based line in the closed-deals file.
    public var line: Int
    /// `won_date` as written (`YYYY-MM-DD HH:MM:SS` in the export).
    public var wonDate: String
    /// Days since 1970-01-01 of the date part of `won_date`; nil when it is not a date.
    public var wonDay: Int?
    /// UTC seconds since 1970 of `won_date` when it is a full `YYYY-MM-DD HH:MM:SS`; nil otherwise.
    public var wonSecond: Int?
    /// The detail columns asked for (``OlistFunnelImport/dealDetailColumns`` and the optional ones
    /// present in the header), by column name; empty unless details were asked for.
    public var details: [String: String]

    public init(mqlID: String, line: Int, wonDate: String, wonDay: Int?, wonSecond: Int?, details: [String: String] = [:]) {
        self.mqlID = mqlID
        self.line = line
        self.wonDate = wonDate
        self.wonDay = wonDay
        self.wonSecond = wonSecond
        self.details = details
    }
}
