# -*- Python -*-
# lit configuration of the INTR compiler tests.

import os

import lit.formats
from lit.llvm import llvm_config

config.name = "INTR"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test", ".onnxtxt"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.intr_obj_root, "test")
config.excludes = ["CMakeLists.txt", "README.md", "lit.cfg.py", "lit.site.cfg.py", "models", "Inputs"]

# Variables captured with [[VAR:...]] are scoped to one CHECK-LABEL block.
config.environment["FILECHECK_OPTS"] = "-enable-var-scope --allow-unused-prefixes=false"

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%intr_src_root", config.intr_src_root))

llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP"])
llvm_config.use_default_substitutions()
# FileCheck, not and count come from the installed LLVM.
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)

tool_dirs = [config.intr_tools_dir, config.llvm_tools_dir]
llvm_config.add_tool_substitutions(
    ["intr-opt", "intr-run", "intr-bench", "intr-conformance"], tool_dirs)

# The CUDA benchmarks exist in builds with CUDA and cuDNN; their argument
# checks run before they touch a device.
if os.path.exists(os.path.join(config.intr_tools_dir, "intr-conv-bench")):
    config.available_features.add("cuda-tools")
    llvm_config.add_tool_substitutions(
        ["intr-conv-bench", "intr-attention-bench"], tool_dirs)
