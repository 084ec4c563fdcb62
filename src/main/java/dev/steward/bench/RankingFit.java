package dev.steward.bench;

import dev.steward.memory.MemoryDocument;
import dev.steward.memory.Ranking;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Fits {@link Ranking.Weights} by logistic regression: does a candidate cite one of the question's evidence turns?
 * Evidence is rare among candidates (a few in hundreds), so the positives together weigh as much as all the
 * negatives; a light L2 penalty keeps the weights of correlated features finite. Newton's method: nine weights
 * converge in a few steps.
 */
final class RankingFit {
    private static final int STEPS = 25;
    private static final double L2 = 1.0;

    private RankingFit() {}

    /** A candidate a search weighed, as its {@link Ranking.Observer} saw it. */
    record Candidate(MemoryDocument document, double[] features) {}

    /** One question's candidates: their features, sources and whether they cite evidence. */
    record Sample(LocomoBench.Question question, List<double[]> features, List<List<String>> sources,
                  List<Boolean> evidence) {
        static Sample of(LocomoBench.Question question, List<Candidate> candidates) {
            List<Candidate> sorted = new ArrayList<>(candidates);
            sorted.sort(Comparator.comparing(c -> c.document().id()));
            Set<String> evidence = Set.copyOf(question.evidence());
            return new Sample(question, sorted.stream().map(Candidate::features).toList(),
                    sorted.stream().map(c -> c.document().sourceRefs()).toList(),
                    sorted.stream().map(c -> c.document().sourceRefs().stream().anyMatch(evidence::contains)).toList());
        }

        /** The question with the sources of its candidates listed best first under these weights. */
        LocomoBench.Question ranked(Ranking.Weights weights) {
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < features.size(); i++) {
                order.add(i);
            }
            order.sort(Comparator.comparingDouble((Integer i) -> -weights.score(features.get(i))));
            Set<String> ids = new LinkedHashSet<>();
            order.forEach(i -> ids.addAll(sources.get(i)));
            return question.withRetrieved(List.copyOf(ids));
        }
    }

    static Ranking.Weights fit(List<Sample> samples) {
        int n = Ranking.Weights.FEATURES + 1;
        List<double[]> x = new ArrayList<>();
        List<Boolean> y = new ArrayList<>();
        for (Sample s : samples) {
            for (int i = 0; i < s.features().size(); i++) {
                double[] row = java.util.Arrays.copyOf(s.features().get(i), n);
                row[n - 1] = 1; // the bias
                x.add(row);
                y.add(s.evidence().get(i));
            }
        }
        long positives = y.stream().filter(b -> b).count();
        if (positives == 0) {
            throw new IllegalArgumentException("no candidate cites any evidence: nothing to fit");
        }
        double positiveWeight = (double) (y.size() - positives) / positives;
        double[] w = new double[n];
        for (int step = 0; step < STEPS; step++) {
            double[] gradient = new double[n];
            double[][] hessian = new double[n][n];
            for (int j = 0; j < n; j++) {
                gradient[j] = L2 * w[j];
                hessian[j][j] = L2;
            }
            for (int r = 0; r < x.size(); r++) {
                double[] row = x.get(r);
                double z = 0;
                for (int j = 0; j < n; j++) {
                    z += w[j] * row[j];
                }
                double p = 1 / (1 + Math.exp(-Math.clamp(z, -30, 30)));
                double weight = y.get(r) ? positiveWeight : 1;
                double residual = weight * (p - (y.get(r) ? 1 : 0));
                double curvature = weight * p * (1 - p);
                for (int j = 0; j < n; j++) {
                    gradient[j] += residual * row[j];
                    for (int l = 0; l < n; l++) {
                        hessian[j][l] += curvature * row[j] * row[l];
                    }
                }
            }
            double[] delta = solve(hessian, gradient);
            for (int j = 0; j < n; j++) {
                w[j] -= delta[j];
            }
        }
        return Ranking.Weights.of(w);
    }

    /** Solves a x = b by Gaussian elimination with partial pivoting (a is positive definite here). */
    private static double[] solve(double[][] a, double[] b) {
        int n = b.length;
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
                    pivot = r;
                }
            }
            double[] rowSwap = a[col];
            a[col] = a[pivot];
            a[pivot] = rowSwap;
            double bSwap = b[col];
            b[col] = b[pivot];
            b[pivot] = bSwap;
            for (int r = col + 1; r < n; r++) {
                double f = a[r][col] / a[col][col];
                for (int c = col; c < n; c++) {
                    a[r][c] -= f * a[col][c];
                }
                b[r] -= f * b[col];
            }
        }
        double[] x = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double sum = b[r];
            for (int c = r + 1; c < n; c++) {
                sum -= a[r][c] * x[c];
            }
            x[r] = sum / a[r][r];
        }
        return x;
    }
}
