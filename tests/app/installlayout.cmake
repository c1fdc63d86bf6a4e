# cmake -DBUILD_DIR=... -DPREFIX=... -P installlayout.cmake: installs the build into PREFIX, checks
# that every file a desktop needs is where it looks, and validates the desktop entry and the
# AppStream metadata.
file(REMOVE_RECURSE ${PREFIX})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${PREFIX}
                RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT result EQUAL 0)
    message(FATAL_ERROR "cmake --install failed:\n${out}")
endif()
foreach(path
        bin/vigie
        share/applications/org.vigie.Vigie.desktop
        share/metainfo/org.vigie.Vigie.metainfo.xml
        share/icons/hicolor/scalable/apps/org.vigie.Vigie.svg
        share/doc/Vigie/LICENSE)
    if(NOT EXISTS ${PREFIX}/${path})
        message(FATAL_ERROR "not installed: ${path}\n${out}")
    endif()
endforeach()
execute_process(COMMAND desktop-file-validate ${PREFIX}/share/applications/org.vigie.Vigie.desktop
                RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT result EQUAL 0 OR out MATCHES "error")
    message(FATAL_ERROR "desktop-file-validate: ${out}")
endif()
execute_process(COMMAND appstreamcli validate --no-net --explain ${PREFIX}/share/metainfo/org.vigie.Vigie.metainfo.xml
                RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT result EQUAL 0)
    message(FATAL_ERROR "appstreamcli validate: ${out}")
endif()
message(STATUS "installed and validated:\n${out}")
