/// One row of the Olist closed-deals file, as the single Olist reader reads it.
package struct OlistDeal: Sendable, Equatable {
    /// The MQL id the deal closes (trimmed).
    package var mqlID: String
    /// 1-based line in the closed-deals file.
    package var line: Int
    /// `won_date` as written (`YYYY-MM-DD HH:MM:SS` in the export).
    package var wonDate: String
    /// Days since 1970-01-01 of the date part of `won_date`; nil when it is not a date.
    package var wonDay: Int?
    /// UTC seconds since 1970 of `won_date` when it is a full `YYYY-MM-DD HH:MM:SS`; nil otherwise.
    package var wonSecond: Int?
    /// The detail columns asked for (``OlistFunnelImport/dealDetailColumns`` and the optional ones
    /// present in the header), by column name; empty unless details were asked for.
    package var details: [String: String]

    package init(mqlID: String, line: Int, wonDate: String, wonDay: Int?, wonSecond: Int?, details: [String: String] = [:]) {
        self.mqlID = mqlID
        self.line = line
        self.wonDate = wonDate
        self.wonDay = wonDay
        self.wonSecond = wonSecond
        self.details = details
    }
}
