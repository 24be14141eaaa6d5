/// The marketplace's read models, in the order they are listed by `status`.
public enum ReadModels {
    public static let all: [any Projection] = []
}
