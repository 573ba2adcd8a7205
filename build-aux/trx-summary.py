#!/usr/bin/env python3
"""Summarises one VSTest TRX file for run-tests.sh.

Counts every test result by outcome, not VSTest's console totals (those drop NUnit's inconclusive tests and
never show skip reasons). Prints one line per failed or skipped test, then a last line
"counts PASSED FAILED SKIPPED ABORTED" (ABORTED is 1 when the run did not complete, e.g. a hang or a crash).
"""
import sys
import xml.etree.ElementTree as ET

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
PASSED = {"Passed"}
FAILED = {"Failed", "Error", "Timeout", "Aborted"}


def first_line(text):
    text = (text or "").strip()
    return text.splitlines()[0] if text else "(no reason given)"


def main(path):
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
    print(f"counts {passed} {failed} {skipped} {aborted}")


if __name__ == "__main__":
    main(sys.argv[1])
