extension String {
    /// The string without surrounding Unicode white space; API.md §12 counts lengths after this trim.
    public var trimmedWhitespace: String {
        // Most input has nothing to trim: then no copy.
        guard let head = unicodeScalars.first, let tail = unicodeScalars.last else { return self }
        if !head.properties.isWhitespace, !tail.properties.isWhitespace { return self }
        var scalars = unicodeScalars[...]
        while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
        return String(String.UnicodeScalarView(scalars))
    }

    /// Length in Unicode code points, the unit of every length limit in the API.
    public var codePointCount: Int { unicodeScalars.count }
}
