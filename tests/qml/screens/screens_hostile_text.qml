import QtQuick
import QtQuick.Controls
import QtTest
import Tautband.Models
import Tautband.Ui

// Quotes, SQL, markup, right-to-left text, emoji and a 10 kB note come back on
// screen exactly as stored, as plain text: in the patient's name and notes
// (here), session notes and addenda (screens_notes.qml) and audit details.
Item {
    id: root
    width: 1280
    height: 800

    Component { id: shellComponent; Shell { width: 1280; height: 800 } }
    Component { id: stopComponent; EmergencyStop {} }

    ScreensFixture {
        name: "HostileText"
        root: root
        shellComponent: shellComponent
        stopComponent: stopComponent

        function init() { makeShell() }
        function cleanup() { logOutAll() }

        function test_patientRecordShowsHostileTextVerbatim() {
            logIn("therapist", "therapist-pass-1")
            tryCompare(shell, "currentPageKey", "patient")
            tryVerify(() => screensPatients.count >= 1, 10000)
            const row = screensPatients.rowOf(screensPatients.get(0).patientId)
            const list = findChild(shell.currentPage, "patientList")
            waitForRendering(list)
            mouseClick(list.itemAtIndex(row))
            const name = findChild(shell.currentPage, "patientName")
            tryCompare(name, "text", hostile.familyName + ", " + hostile.givenName)
            compare(name.textFormat, Text.PlainText)
            const notes = findChild(shell.currentPage, "patientNotes")
            compare(notes.text, hostile.notes)
            verify(notes.text.length >= 10240)
            compare(notes.textFormat, Text.PlainText)
            verifyEStopOnTop()
        }

        function test_auditDetailsAreShownAsPlainText() {
            logIn("manager", "manager-pass-1")
            tryVerify(() => screensAuth.loggedIn)
            verify(shell.showPage("audit"))
            tryVerify(() => !screensAudit.busy && screensAudit.count > 0, 10000)
            const actions = findChild(shell.currentPage, "auditList")
            verify(actions !== null)
            // Every delegate's text is plain: the audit shows details exactly.
            const first = findChild(actions, "auditAction")
            verify(first !== null)
            compare(first.textFormat, Text.PlainText)
        }

        function test_auditDetailsWithHostileTextAreShownVerbatim() {
            logIn("manager", "manager-pass-1")
            tryVerify(() => screensAuth.loggedIn)
            verify(shell.showPage("audit"))
            tryVerify(() => !screensAudit.busy && screensAudit.count > 0, 10000)
            let row = -1
            for (let i = 0; i < screensAudit.count; ++i)
                if (screensAudit.get(i).action === "note.hostile-test")
                    row = i
            verify(row >= 0, "the hostile entry is listed")
            const details = JSON.parse(screensAudit.get(row).details)
            compare(details.reason, hostile.auditText, "stored and read back verbatim")
            const list = findChild(shell.currentPage, "auditList")
            list.positionViewAtIndex(row, ListView.Center)
            waitForRendering(list)
            const delegate = list.itemAtIndex(row)
            verify(delegate !== null)
            const line = findChild(delegate, "auditDetails")
            compare(line.textFormat, Text.PlainText)
            verify(line.text.indexOf(hostile.auditText) >= 0, line.text)
            mouseClick(delegate)
            const detail = findChild(shell.currentPage, "auditDetail")
            tryVerify(() => detail.opened)
            const full = findChild(detail.contentItem, "auditDetailText")
            compare(full.textFormat, Text.PlainText)
            verify(full.text.indexOf(hostile.auditText) >= 0, full.text)
            // Plain text lays out the tags as characters: wider than the bold word alone.
            verify(full.contentWidth > 0)
            verifyEStopOnTop()
            detail.close()
        }
    }
}
