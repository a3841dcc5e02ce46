# Each thread's instance of the module shares one memory; each needs a stack of its own there.
	.globaltype __stack_pointer, i32

	.globl	set_stack
	.export_name	set_stack, set_stack
	.type	set_stack,@function
set_stack:
	.functype	set_stack (i32) -> ()
	local.get	0
	global.set	__stack_pointer
	end_function
