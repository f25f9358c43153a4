import QtQuick
import QtTest
import Tautband.Models
import Tautband.Ui

// The Summary page with the real SummaryModel over a demo clinic
// (tst_qml_summary.cpp): the per-site table matches the store, exports land in
// the chosen folder, a taken name is never replaced without asking (Cancel
// leaves the file byte-identical), hostile text is shown verbatim, and the
// E-STOP stays visible. (Not named tst_*.qml: tst_qml_shell scans for those.)
Item {
    id: root
    width: 1280
    height: 800

    Component { id: shellComponent; Shell { width: 1280; height: 800 } }
    Component { id: stopComponent; EmergencyStop {} }

    TestCase {
        name: "SummaryPage"
        when: windowShown

        property var shell
        property var page

        function initTestCase() {
            summaryAuth.logIn("therapist", "demo-therapist-2026")
            tryVerify(() => summaryAuth.loggedIn, 10000, "the demo therapist logs in")
        }

        function init() {
            const stop = createTemporaryObject(stopComponent, root)
            shell = createTemporaryObject(shellComponent, root, { emergencyStop: stop, services: summaryServices })
            verify(shell.showPage("summary"))
            tryVerify(() => shell.currentPage !== null && shell.currentPage.objectName === "page_summary")
            page = shell.currentPage
            compare(page.summary, summaryModel, "the shell hands the page its service")
            tryVerify(() => summaryModel.sessions.length >= 6, 10000, "the session picker lists the store's sessions")
            summaryModel.folder = summaryFixture.exportDir
        }

        function loadSession(id) {
            summaryModel.load(id)
            tryVerify(() => summaryModel.loaded && summaryModel.sessionId === id && !summaryModel.loading, 10000)
            waitForRendering(page)
        }

        SignalSpy { id: finishedSpy; target: summaryModel; signalName: "exportFinished" }

        // Starts an export and waits until it ended or asks about a taken name.
        function exportAndWait(kind) {
            finishedSpy.clear()
            summaryModel.exportAs(kind)
            tryVerify(() => finishedSpy.count > 0 || Object.keys(summaryModel.conflict).length > 0, 30000)
        }

        function test_1_siteTableMatchesTheStore() {
            loadSession(summaryFixture.latestDemoSession)
            const expected = summaryFixture.expectedSites(summaryFixture.latestDemoSession)
            verify(expected.length >= 2, "the demo session has sites")
            compare(summaryModel.sites.length, expected.length)
            let ltrs = 0
            for (let i = 0; i < expected.length; ++i) {
                const row = findChild(page, "siteRow_" + i)
                verify(row !== null, "row " + i + " is shown")
                const cell = key => findChild(row, "cell_" + key).text
                compare(cell("needles"), String(expected[i].needles))
                compare(cell("ltrAuto"), String(expected[i].ltrAuto))
                compare(cell("ltrManual"), String(expected[i].ltrManual))
                compare(cell("ltrRejected"), String(expected[i].ltrRejected))
                compare(cell("side"), expected[i].side)
                verify(Math.abs(summaryModel.sites[i].energyJ - expected[i].energyJ) < 1e-9)
                ltrs += expected[i].ltrAuto + expected[i].ltrManual + expected[i].ltrRejected
            }
            verify(ltrs > 0, "the demo session has twitch responses")
            // The timeline holds the LTRs, the laser doses and the safety decisions.
            const kinds = summaryModel.timeline.map(t => t.kind)
            verify(kinds.indexOf("ltr") >= 0 && kinds.indexOf("laser-on") >= 0 && kinds.indexOf("needle-in") >= 0)
            // The COPD patient's session has a supervisor approval; the others none.
            compare(kinds.indexOf("approval"), -1)
            loadSession(summaryFixture.copdSession)
            // Both users and the reason, in words.
            verify(summaryModel.timeline.some(t => t.kind === "approval" && t.text.indexOf("manager approved") >= 0
                                              && t.text.indexOf("therapist2") >= 0 && t.text.indexOf("COPD") >= 0),
                   "the supervisor approval is on the timeline")
            loadSession(summaryFixture.latestDemoSession)
            verify(summaryFixture.auditActors("session.viewed", summaryFixture.latestDemoSession).indexOf("therapist") >= 0,
                   "viewing is audited as the logged-in user")
            if (summaryFixture.screenshotPath.length > 0)
                grabImage(shell).save(summaryFixture.screenshotPath)
        }

        function test_2_exportsJsonAndPdfIntoTheFolder() {
            summaryFixture.removeFiles(summaryFixture.exportDir)
            loadSession(summaryFixture.latestDemoSession)
            const id = summaryFixture.latestDemoSession
            finishedSpy.clear()
            mouseClick(findChild(page, "export_json"))
            verify(summaryModel.exporting, "the export runs in the background")
            tryVerify(() => finishedSpy.count > 0, 30000)
            verify(summaryModel.exportOk, summaryModel.exportMessage)
            const json = summaryFixture.exportDir + "/session-" + id + "-session.json"
            verify(summaryFixture.exists(json) && summaryFixture.size(json) > 100)
            verify(summaryFixture.head(json, 1) === "{")
            verify(findChild(page, "exportResult").text.indexOf(json) >= 0, "the result names the file written")

            exportAndWait("pdf")
            verify(summaryModel.exportOk, summaryModel.exportMessage)
            const pdf = summaryFixture.exportDir + "/session-" + id + "-note.pdf"
            verify(summaryFixture.size(pdf) > 1000)
            compare(summaryFixture.head(pdf, 4), "%PDF")
            // Audited exactly like the CLI: session.exported as the logged-in user.
            const exporters = summaryFixture.auditActors("session.exported", id)
            verify(exporters.length >= 2 && exporters.every(a => a === "therapist"), exporters.join(","))
        }

        function test_3_secondExportAsksAndCancelKeepsTheFile() {
            summaryFixture.removeFiles(summaryFixture.exportDir)
            loadSession(summaryFixture.latestDemoSession)
            const id = summaryFixture.latestDemoSession
            const pdf = summaryFixture.exportDir + "/session-" + id + "-note.pdf"
            exportAndWait("pdf")
            verify(summaryModel.exportOk, summaryModel.exportMessage)
            const firstHash = summaryFixture.sha256(pdf)

            // Same kind again: the page asks; the default (Cancel) keeps the file.
            exportAndWait("pdf")
            compare(summaryModel.conflict.fileName, "session-" + id + "-note.pdf")
            const dialog = findChild(page, "replaceDialog")
            tryVerify(() => dialog.opened, 5000, "the replace dialog is open")
            verify(findChild(dialog, "replaceQuestion").text.indexOf("session-" + id + "-note-2.pdf") >= 0)
            verify(!findChild(page, "export_json").enabled, "no other export while asking")
            const cancel = findChild(dialog, "conflictCancel")
            verify(cancel.height >= Theme.touchTarget)
            mouseClick(cancel)
            tryVerify(() => !dialog.visible)
            verify(!summaryModel.exportOk)
            verify(summaryModel.exportMessage.indexOf("left as it was") >= 0, summaryModel.exportMessage)
            compare(summaryFixture.sha256(pdf), firstHash, "Cancel left the first file byte-identical")
            compare(summaryFixture.files(summaryFixture.exportDir).length, 1)

            // Keep both: a -2 name next to it, the first untouched.
            exportAndWait("pdf")
            tryVerify(() => dialog.opened, 5000)
            mouseClick(findChild(dialog, "conflictKeepBoth"))
            tryVerify(() => !summaryModel.exporting && summaryModel.exportOk, 30000, summaryModel.exportMessage)
            compare(summaryFixture.head(summaryFixture.exportDir + "/session-" + id + "-note-2.pdf", 4), "%PDF")
            compare(summaryFixture.sha256(pdf), firstHash)

            // Escape (closing the dialog) cancels too.
            exportAndWait("pdf")
            tryVerify(() => dialog.opened, 5000)
            keyClick(Qt.Key_Escape)
            tryVerify(() => !dialog.visible && Object.keys(summaryModel.conflict).length === 0)
            compare(summaryFixture.sha256(pdf), firstHash)
            compare(summaryFixture.files(summaryFixture.exportDir).length, 2)

            // Replace only when asked to.
            exportAndWait("pdf")
            tryVerify(() => dialog.opened, 5000)
            mouseClick(findChild(dialog, "conflictReplace"))
            tryVerify(() => !summaryModel.exporting && summaryModel.exportOk, 30000, summaryModel.exportMessage)
            compare(summaryFixture.head(pdf, 4), "%PDF")
        }

        function test_4_errorsInWords() {
            loadSession(summaryFixture.latestDemoSession)
            summaryModel.folder = summaryFixture.exportDir + "/no-such-stick"
            exportAndWait("json")
            verify(!summaryModel.exportOk)
            verify(summaryModel.exportMessage.indexOf("is not there") >= 0, summaryModel.exportMessage)
            // The demo has no EMG recording file: EDF+ says so.
            summaryModel.folder = summaryFixture.exportDir
            exportAndWait("edf")
            verify(!summaryModel.exportOk)
            verify(summaryModel.exportMessage.indexOf("no readable EMG recording") >= 0, summaryModel.exportMessage)
        }

        function test_5_foldersListExportFolderAndRemovableMedia() {
            summaryModel.refreshFolders()
            tryVerify(() => summaryModel.folders.length >= 2, 5000)
            const first = summaryModel.folders[0]
            verify(!first.removable && first.path.endsWith("/exports"), "the clinic's export folder comes first")
            verify(summaryModel.folders.some(f => f.removable && f.path.endsWith("/tester/CLINIC-STICK")), "the stick is listed")
            verify(findChild(page, "refreshFolders").height >= Theme.touchTarget)
        }

        function test_6_hostileTextIsShownVerbatim() {
            loadSession(summaryFixture.hostileSession)
            const facts = findChild(page, "sessionFacts")
            compare(facts.textFormat, Text.PlainText)
            verify(facts.text.indexOf(summaryFixture.hostileName) >= 0, facts.text)
            const list = findChild(page, "eventView")
            list.positionViewAtEnd()
            let found = null
            tryVerify(() => {
                for (let i = 0; i < 50 && found === null; ++i) {
                    const item = findChild(list, "event_" + i)
                    if (item !== null && item.text.indexOf(summaryFixture.hostileNote) >= 0)
                        found = item
                }
                return found !== null
            }, 5000, "the 10 kB note is shown whole")
            compare(found.textFormat, Text.PlainText)
            verify(found.text.indexOf("<h1>not a heading</h1>") >= 0)
        }

        function test_7_eStopStaysVisibleOnTheSummaryPage() {
            loadSession(summaryFixture.latestDemoSession)
            const button = shell.emergencyStopButton.contentItem
            verify(shell.emergencyStopButton.visible && button.visible)
            const p = button.mapToItem(root, 0, 0)
            verify(p.x >= 0 && p.y >= 0 && p.x + button.width <= root.width && p.y + button.height <= root.height)
            verify(button.width >= Theme.touchTarget && button.height >= Theme.touchTarget)
            // Also while the replace dialog is open.
            summaryFixture.removeFiles(summaryFixture.exportDir)
            exportAndWait("json")
            exportAndWait("json")
            const dialog = findChild(page, "replaceDialog")
            tryVerify(() => dialog.opened, 5000)
            verify(shell.emergencyStopButton.visible && shell.emergencyStopButton.z > dialog.z)
            summaryModel.resolveConflict("cancel")
            // Touch targets of the page's buttons.
            for (const name of ["export_pdf", "export_handout", "export_json", "export_fhir", "export_edf", "export_csv",
                                "refreshSessions", "currentSession", "sessionPicker", "folderChooser"])
                verify(findChild(page, name).height >= Theme.touchTarget, name)
        }
    }
}
