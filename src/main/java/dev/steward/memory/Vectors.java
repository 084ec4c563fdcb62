package dev.steward.memory;

final class Vectors {
    private Vectors() {}

    static float[] normalize(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += x * x;
        }
        if (sum == 0) {
            float[] u = v.clone();
            u[0] = 1;
            return u;
        }
        float inv = (float) (1 / Math.sqrt(sum));
        float[] u = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            u[i] = v[i] * inv;
        }
        return u;
    }
}
