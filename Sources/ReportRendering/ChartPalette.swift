/// The Okabe–Ito colour-blind-safe palette, in the order series receive colours.
///
/// Series beyond the eighth reuse colours; line and scatter series also differ by marker shape and
/// dash pattern, so they stay distinguishable in greyscale.
package enum ChartPalette {
    /// Blue, orange, bluish green, vermillion, reddish purple, sky blue, yellow, grey (hex sRGB).
    package static let colours: [String] = [
        "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#737373",
    ]

    /// The colour of the series at `index` (0-based), cycling through ``colours``.
    package static func colour(at index: Int) -> String {
        colours[((index % colours.count) + colours.count) % colours.count]
    }

    /// Ink for axes, text and the y = x diagonal.
    static let ink = "#222222"
    static let grid = "#E3E3E3"
    static let muted = "#555555"
}
