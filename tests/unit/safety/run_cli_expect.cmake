# Runs CLI with ARGS (;-list), checks the exit code is EXPECT_RC and stdout+stderr match
# EXPECT_REGEX. Used for exit-code checks ctest's PASS_REGULAR_EXPRESSION cannot make.
execute_process(COMMAND ${CLI} ${ARGS} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL EXPECT_RC)
  message(FATAL_ERROR "exit code ${rc}, expected ${EXPECT_RC}\n${out}\n${err}")
endif()
if(NOT "${out}${err}" MATCHES "${EXPECT_REGEX}")
  message(FATAL_ERROR "output does not match ${EXPECT_REGEX}:\n${out}\n${err}")
endif()
