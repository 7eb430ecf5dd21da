extension ConformanceSuite {
    static let bodyCases: [ConformanceCase] = []
    static let responseCases: [ConformanceCase] = []
    static let errorCases: [ConformanceCase] = []
    static let connectionCases: [ConformanceCase] = []
    static let limitCases: [ConformanceCase] = []
    static let capabilityCases: [ConformanceCase] = []
}
