#!/usr/bin/env python3
"""Summarises one VSTest TRX file for run-tests.sh.

Counts every test result by outcome, not VSTest's console totals (those drop NUnit's inconclusive tests and
never show skip reasons). Prints one line per failed or skipped test, then a last line
"counts PASSED FAILED SKIPPED ABORTED" (ABORTED is 1 when the run did not complete, e.g. a hang or a crash).

With a second argument, appends each failure's whole message (blank lines dropped, at most DETAIL_LINES lines) to
that file, so run-tests.sh can repeat it at the end of its output, where CI's tail shows it (a timed-out wait's
message holds the last screen it saw, which the one-line summary cuts off).
"""
import sys
import xml.etree.ElementTree as ET

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
PASSED = {"Passed"}
FAILED = {"Failed", "Error", "Timeout", "Aborted"}
DETAIL_LINES = 30


def first_line(text):
    text = (text or "").strip()
    return text.splitlines()[0] if text else "(no reason given)"


def detail(name, message):
    lines = [line.rstrip() for line in (message or "(no reason given)").splitlines() if line.strip()]
    if len(lines) > DETAIL_LINES:
        lines = lines[:DETAIL_LINES] + [f"... ({len(lines) - DETAIL_LINES} more lines in the TRX file)"]
    return f"DETAIL  {name}:\n" + "".join(f"  | {line}\n" for line in lines)


def main(path, details_path=None):
    details = []
    root = ET.parse(path).getroot()
    classes = {}
    for unit_test in root.iterfind("t:TestDefinitions/t:UnitTest", NS):
        method = unit_test.find("t:TestMethod", NS)
        classes[unit_test.get("id")] = method.get("className", "") if method is not None else ""
    passed = failed = skipped = 0
    for result in root.iterfind("t:Results/t:UnitTestResult", NS):
        name = result.get("testName", "?")
        cls = classes.get(result.get("testId"), "")
        full = f"{cls}.{name}" if cls else name
        outcome = result.get("outcome", "")
        message = result.findtext("t:Output/t:ErrorInfo/t:Message", default="", namespaces=NS)
        if outcome in PASSED:
            passed += 1
        elif outcome in FAILED:
            failed += 1
            print(f"FAILED  {full}: {first_line(message)}")
            details.append(detail(full, message))
        else:
            # NotExecuted (NUnit's Ignore), Inconclusive, None, ...: did not run, so it is a skip, with its reason.
            skipped += 1
            print(f"SKIPPED {full}: {first_line(message)}")
    summary = root.find("t:ResultSummary", NS)
    aborted = 0
    if summary is not None:
        for info in summary.iterfind("t:RunInfos/t:RunInfo", NS):
            if info.get("outcome") == "Error":
                aborted = 1
                print(f"RUN ERROR: {first_line(info.findtext('t:Text', default='', namespaces=NS))}")
    if details_path and details:
        with open(details_path, "a", encoding="utf-8") as out:
            out.write("".join(details))
    print(f"counts {passed} {failed} {skipped} {aborted}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)
