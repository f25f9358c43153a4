import QtQuick
import QtQuick.Controls
import QtTest
import Tautband.Models
import Tautband.Ui

// Quotes, SQL, markup, right-to-left text and a 10 kB note come back on
// screen exactly as stored, as plain text.
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
    }
}
