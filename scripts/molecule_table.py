#!/usr/bin/env python3
"""Prints the README's MoleculeNet table from the JSON summaries that
scripts/molecule_transfer.sh writes (RUN_DIR/<set>.json, the output of
graphjepa reproduce --data FILE.csv --model M --json). Standard library only.

    python3 scripts/molecule_table.py RUN_DIR
"""
import json
import os
import sys

ORDER = ["bbbp", "tox21", "toxcast", "sider", "clintox", "muv", "hiv", "bace", "delaney", "freesolv", "lipo"]


def main():
    run = sys.argv[1]
    print("| set | metric | frozen: pre-trained / untrained | fine-tuned, pre-trained (final · best valid) "
          "| fine-tuned, untrained (final · best valid) | GraphMAE (published) | protocol |")
    print("|---|---|---|---|---|---|---|")
    for name in ORDER:
        path = os.path.join(run, name + ".json")
        if not os.path.exists(path) or os.path.getsize(path) == 0:
            continue  # not run, or still running
        s = json.load(open(path))
        roc = s["metric"] == "roc_auc"
        f = lambda v: "n/a" if v is None else (f"{v * 100:.1f}" if roc else f"{v:.3f}")
        fr = s.get("frozen") or {}
        p, u = s["finetuned_pretrained"], s["finetuned_untrained"]
        proto = f"{len(s['seeds'])} seeds × {s['finetune_config']['epochs'] or 100} epochs"
        gm = s.get("graphmae_finetuned")
        print(f"| {s['dataset']} | {'ROC-AUC %' if roc else 'RMSE'} | {f(fr.get('pretrained'))} / {f(fr.get('untrained'))} "
              f"| {f(p['final_mean'])} ± {f(p['final_std'])} · {f(p['at_best_valid_mean'])} "
              f"| {f(u['final_mean'])} ± {f(u['final_std'])} · {f(u['at_best_valid_mean'])} "
              f"| {'' if gm is None else gm} | {proto}{' (reduced)' if s.get('reduced') else ''} |")


if __name__ == "__main__":
    main()
