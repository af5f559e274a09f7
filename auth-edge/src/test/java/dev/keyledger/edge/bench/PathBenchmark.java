package dev.keyledger.edge.bench;

import dev.keyledger.edge.web.PathCanonicalizer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-request cost of request hygiene: {@link PathCanonicalizer#canonicalize} on a path that is
 * already canonical (the normal case: no allocation) and on one that needs rewriting. Run with
 * {@code "$JAVA_HOME/bin/java" -cp "$(auth-edge/bench/classpath.sh)" org.openjdk.jmh.Main PathBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PathBenchmark {

    @Param({"/api/v1/databases/db_01JAXQ7Z6M3K9W2B4C5D6E7F8G/items/42", "/api/v1/%64atabases/db_01JAXQ/./items"})
    public String path;

    private final PathCanonicalizer canonicalizer = new PathCanonicalizer(List.of("/api/"));

    @Benchmark
    public String canonicalize() {
        return canonicalizer.canonicalize(path);
    }
}
