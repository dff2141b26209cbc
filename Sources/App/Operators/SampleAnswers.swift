import Eligibility

/// Answers that complete the questionnaire, shared by the benchmarks and the tests, so that what is
/// measured is what is tested.
public enum SampleAnswers {
    /// A road haulier with twelve trucks of 7.5 t or more (TICPE, DFS, URSSAF and taxe foncière eligible):
    /// every visible required question answered.
    public static let roadHaulier: [String: AnswerValue] = [
        "GENERAL_001": .text("transport_marchandises"), "GENERAL_002": .text("de_1m_a_5m"), "GENERAL_003": .text("de_21_a_50"),
        "GENERAL_004": .text("oui"), "GENERAL_005": .bool(true), "TICPE_001": .bool(true), "TICPE_002": .text("de_11_a_25"),
        "TICPE_003": .list(["camions_plus_7_5t"]), "TICPE_004": .text("oui_tous"), "TICPE_005": .text("plus_50000"),
        "TICPE_006": .list(["gazole"]), "TICPE_007": .text("trois_ans"), "TICPE_008": .text("cent_pour_cent"),
        "TICPE_009": .text("plus_60000"), "TICPE_010": .text("oui_toutes_stations"), "TICPE_011": .text("systematiquement"),
        "TICPE_012": .text("oui_100"), "TICPE_013": .text("non"), "TICPE_015": .text("totalite"), "URSSAF_001": .text("non"),
        "TICPE_017": .text("une_ou_deux_regions"), "TICPE_018": .number(12), "URSSAF_002": .list(["taux_atmp_conteste"]),
        "DFS_001": .number(18), "DFS_002": .text("non"), "FONCIER_001": .number(12000), "FONCIER_003": .text("industriels"),
        "FONCIER_004": .text("oui"), "CEE_001": .text("non"), "CIR_001": .text("non"),
    ]
}
