"""The figure of the researcher's tutorial: the workers' burden by earnings quintile."""

import matplotlib.pyplot as plt
from population import statements, worker_share_by_quintile

import flexsecure as fs

cn = fs.load_jurisdiction("CN")
current = worker_share_by_quintile(statements(cn))
cofunded = worker_share_by_quintile(statements(cn.with_reform("platform_cofunding")))

figure, axes = plt.subplots(figsize=(7, 3.6))
positions = range(1, 6)
axes.bar([p - 0.2 for p in positions], [float(s) * 100 for s in current], 0.4, label="current law")
axes.bar(
    [p + 0.2 for p in positions],
    [float(s) * 100 for s in cofunded],
    0.4,
    label="platform_cofunding",
)
axes.set_xticks(list(positions), ["Q1 (lowest)", "Q2", "Q3", "Q4", "Q5 (highest)"])
axes.set_ylabel("worker's pension contribution, % of earnings")
axes.set_title("Shanghai, 2025-09, 400 synthetic workers enrolled on the floor")
axes.legend()
figure.tight_layout()
