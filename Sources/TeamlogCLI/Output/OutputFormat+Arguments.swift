import Application
public import ArgumentParser

extension OutputFormat: ExpressibleByArgument {}

extension ResultRenderer {
    static func print(_ sections: [ResultSection], format: OutputFormat) {
        for line in lines(sections, format: format) { StandardStreams.out(line) }
    }
}
